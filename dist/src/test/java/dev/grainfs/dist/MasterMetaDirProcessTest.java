package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.id.HostPort;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `grainfs checkpoint` and `grainfs safemode` against a master process, and a master process
 * refusing a damaged meta dir with one stderr line that names the file and offset.
 */
class MasterMetaDirProcessTest {
    @TempDir
    Path dir;

    @Test
    void adminCommandsAndDamagedMetaDirs() throws Exception {
        Path meta = dir.resolve("meta");
        try (GrainfsProcess m = GrainfsProcess.daemon(dir.resolve("m.log"), "master", "--meta-dir", meta.toString(),
                "--port", "0")) {
            try (GrainClient c = GrainClient.connect(ClientConfig.of(HostPort.parse(m.address())))) {
                for (int i = 0; i < 20; i++) {
                    c.mkdir("/d" + i, 0755);
                }
                GrainfsProcess.Result ckpt = GrainfsProcess.run("--master", m.address(), "checkpoint");
                assertEquals(0, ckpt.exit(), ckpt.err());
                assertTrue(ckpt.out().matches("checkpoint written at txid 20\\n"), ckpt.out());
                for (int i = 20; i < 40; i++) {
                    c.mkdir("/d" + i, 0755);
                }
                GrainfsProcess.Result get = GrainfsProcess.run("--master", m.address(), "safemode", "get");
                assertEquals(0, get.exit(), get.err());
                assertTrue(get.out().startsWith("Safe mode is OFF"), get.out());
                GrainfsProcess.Result enter = GrainfsProcess.run("--master", m.address(), "safemode", "enter");
                assertTrue(enter.out().startsWith("Safe mode is ON (entered by an operator)"), enter.out());
                GrainfsProcess.Result mkdir = GrainfsProcess.run("--master", m.address(), "mkdir", "/refused");
                assertNotEquals(0, mkdir.exit());
                assertTrue(mkdir.err().contains("safe mode"), mkdir.err());
                GrainfsProcess.Result leave = GrainfsProcess.run("--master", m.address(), "safemode", "leave");
                assertTrue(leave.out().startsWith("Safe mode is OFF"), leave.out());
            }
            assertEquals(0, m.terminate());
        }

        Path badLog = dir.resolve("bad-log");
        copy(meta, badLog);
        Path segment = only(badLog, ".wal");
        flip(segment, Files.size(segment) / 2);
        refusesToStart(badLog, segment);

        Path badCkpt = dir.resolve("bad-ckpt");
        copy(meta, badCkpt);
        Path checkpoint = only(badCkpt, ".ckpt");
        flip(checkpoint, Files.size(checkpoint) / 2);
        refusesToStart(badCkpt, checkpoint);
    }

    private static void refusesToStart(Path meta, Path bad) throws Exception {
        GrainfsProcess.Result r = GrainfsProcess.run("master", "--meta-dir", meta.toString(), "--port", "0");
        assertNotEquals(0, r.exit(), r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one stderr line, got:\n" + r.err());
        assertTrue(lines.get(0).startsWith("grainfs: master: refusing to start: " + bad + " at offset "), lines.get(0));
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Path only(Path dir, String suffix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(p -> p.toString().endsWith(suffix)).toList();
            assertEquals(1, l.size(), l.toString());
            return l.get(0);
        }
    }

    private static void flip(Path file, long offset) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).position(0);
            ch.write(b, offset);
        }
    }
}
