package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chunkserver process SIGKILLed in the middle of a put: the put succeeds intact or fails leaving nothing. */
class ChunkserverKillProcessTest {
    @TempDir
    Path dir;

    @Test
    void putSurvivesOrFailsCleanly() throws Exception {
        List<GrainfsProcess> cs = new ArrayList<>();
        try (GrainfsProcess m = GrainfsProcess.daemon(dir.resolve("m.log"), "master", "--meta-dir",
                dir.resolve("meta").toString(), "--port", "0", "--chunk-size", "8m", "--heartbeat", "1")) {
            for (int i = 0; i < 4; i++) {
                cs.add(GrainfsProcess.daemon(dir.resolve("cs" + i + ".log"), "chunkserver", "--master", m.address(),
                        "--data-dir", dir.resolve("cs" + i).toString(), "--port", "0", "--heartbeat", "1"));
            }
            Thread.sleep(1_500); // registrations
            Path src = dir.resolve("src");
            CliProcessTest.randomFile(src, 300L << 20, 9);
            Process put = GrainfsProcess.start("--master", m.address(), "put", src.toString(), "/big");
            Thread.sleep(2_500);
            cs.get(1).kill9();
            assertTrue(put.waitFor(240, TimeUnit.SECONDS), "put hung");
            GrainfsProcess.Result ls = GrainfsProcess.run("--master", m.address(), "ls", "/");
            if (put.exitValue() == 0) {
                Path back = dir.resolve("back");
                GrainfsProcess.Result get = GrainfsProcess.run("--master", m.address(), "get", "/big", back.toString());
                assertEquals(0, get.exit(), get.err());
                assertArrayEquals(CliProcessTest.sha(src), CliProcessTest.sha(back));
                assertEquals("big\n", ls.out().replaceAll("(?m)^\\..*_COPYING_\\n", ""));
            } else {
                assertTrue(!ls.out().contains("big"), "a failed put left a visible file: " + ls.out());
            }
        } finally {
            for (GrainfsProcess p : cs) {
                p.close();
            }
        }
    }
}
