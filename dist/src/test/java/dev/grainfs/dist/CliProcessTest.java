package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product as people run it: `grainfs` processes on loopback, files in and out through the CLI. */
class CliProcessTest {
    @TempDir
    Path dir;

    static void randomFile(Path p, long bytes, long seed) throws Exception {
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long left = bytes; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }

    static byte[] sha(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    @Test
    void localClusterPutGetKeepsThreeCopiesOfEveryChunk() throws Exception {
        Path base = dir.resolve("local");
        try (GrainfsProcess local = GrainfsProcess.daemon(dir.resolve("local.log"), "local", "--base-dir",
                base.toString(), "--no-mount", "--no-shell", "--port", "0", "--chunk-size", "16m")) {
            assertTrue(local.firstLine.startsWith("ready: master 127.0.0.1:"), local.firstLine);
            String master = local.firstLine.replaceAll("^ready: master ([^,]+),.*$", "$1");
            Path src = dir.resolve("r200");
            randomFile(src, 200L << 20, 1);
            GrainfsProcess.Result put = GrainfsProcess.run("--master", master, "put", src.toString(), "/r200");
            assertEquals(0, put.exit(), put.err());
            Path back = dir.resolve("back");
            GrainfsProcess.Result get = GrainfsProcess.run("--master", master, "get", "/r200", back.toString());
            assertEquals(0, get.exit(), get.err());
            assertArrayEquals(sha(src), sha(back));
            GrainfsProcess.Result stat = GrainfsProcess.run("--master", master, "stat", "/r200");
            assertTrue(stat.out().contains("Size: 209715200"), stat.out());
            assertTrue(stat.out().contains("Chunks: 13 of 16M"), stat.out());
            assertTrue(stat.out().contains("Replication: 3"), stat.out());
            // three copies of every chunk, one per chunkserver
            Map<String, Integer> copies = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                try (Stream<Path> s = Files.walk(base.resolve("cs" + i))) {
                    s.filter(p -> p.toString().endsWith(".chunk"))
                            .forEach(p -> copies.merge(p.getFileName().toString(), 1, Integer::sum));
                }
            }
            assertEquals(13, copies.size(), copies.toString());
            assertTrue(copies.values().stream().allMatch(n -> n == 3), copies.toString());
            assertEquals(0, local.terminate(), "SIGTERM stops the local cluster with exit 0");
        }
    }

    @Test
    void errorsAreOneLineWithNonZeroExit() throws Exception {
        try (GrainfsProcess m = GrainfsProcess.daemon(dir.resolve("m.log"), "master", "--meta-dir",
                dir.resolve("meta").toString(), "--port", "0")) {
            GrainfsProcess.Result ls = GrainfsProcess.run("--master", m.address(), "ls", "/nope");
            assertEquals(1, ls.exit());
            assertEquals("grainfs: ls: /nope: No such file or directory\n", ls.err());
            GrainfsProcess.Result mk = GrainfsProcess.run("--master", m.address(), "mkdir", "/" + "x".repeat(300));
            assertEquals(1, mk.exit());
            assertTrue(mk.err().startsWith("grainfs: mkdir: ") && mk.err().contains("File name too long")
                    && mk.err().lines().count() == 1, mk.err());
            GrainfsProcess.Result bad = GrainfsProcess.run("--master", m.address(), "frobnicate");
            assertEquals(2, bad.exit(), bad.err());
            assertEquals(0, m.terminate());
        }
    }
}
