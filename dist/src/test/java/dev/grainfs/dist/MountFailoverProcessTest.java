package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.fuse.FuseMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A `cp` into a mounted directory while the master is SIGKILLed and `grainfs failover` promotes the
 * shadow: the mount (given both masters) moves to the new master and the copy completes with the
 * right bytes, or fails with an I/O error leaving only a correct prefix behind - never wrong bytes.
 * Then a second copy through the same mount succeeds.
 */
class MountFailoverProcessTest {
    private static final int FILE_MIB = 96;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void copyThroughTheMountSurvivesAFailover() throws Exception {
        assumeTrue(FuseMount.fuseAvailable(), "needs FUSE");
        List<GrainfsProcess> daemons = new ArrayList<>();
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        GrainfsProcess mount = null;
        try {
            GrainfsProcess master = GrainfsProcess.daemon(dir.resolve("master.log"), "master", "--meta-dir",
                    dir.resolve("meta").toString(), "--port", "0", "--chunk-size", "1m", "--heartbeat", "1",
                    "--safemode-extension", "500ms", "--trash-retention", "0", "--shadow-timeout", "2s");
            daemons.add(master);
            GrainfsProcess shadow = GrainfsProcess.daemon(dir.resolve("shadow.log"), "shadow", "--master",
                    master.address(), "--meta-dir", dir.resolve("shadow").toString(), "--port", "0", "--heartbeat", "1",
                    "--safemode-extension", "500ms", "--trash-retention", "0");
            daemons.add(shadow);
            String both = master.address() + "," + shadow.address();
            for (int i = 0; i < 3; i++) {
                daemons.add(GrainfsProcess.daemon(dir.resolve("cs" + i + ".log"), "chunkserver", "--master", both,
                        "--data-dir", dir.resolve("cs" + i).toString(), "--port", "0", "--heartbeat", "1"));
            }
            HostPort shadowAddress = HostPort.parse(shadow.address());
            try (GrainClient c = GrainClient.connect(ClientConfig.of(HostPort.parse(master.address())))) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (c.statfs().liveServers() < 3) {
                    assertTrue(System.currentTimeMillis() < deadline, "chunkservers did not register");
                    Thread.sleep(100);
                }
            }
            mount = GrainfsProcess.daemon(dir.resolve("mount.log"), "mount", "--master", both, mnt.toString());
            assertTrue(mount.firstLine.startsWith("mounted"), mount.firstLine);

            byte[] data = new byte[FILE_MIB << 20];
            new Random(7).nextBytes(data);
            Path src = dir.resolve("src.bin");
            Files.write(src, data);
            Process cp = new ProcessBuilder("cp", src.toString(), mnt.resolve("during.bin").toString())
                    .redirectErrorStream(true).start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.exists(mnt.resolve("during.bin")) || Files.size(mnt.resolve("during.bin")) < (8 << 20)) {
                assertTrue(cp.isAlive() || System.currentTimeMillis() < deadline, "cp did not start writing");
                if (!cp.isAlive()) {
                    break; // finished before the kill: the machine was fast; the check below still holds
                }
                Thread.sleep(20);
            }
            master.kill9();
            long killedAt = System.nanoTime();
            GrainfsProcess.Result f = GrainfsProcess.run("--master", both, "failover", "--to", shadow.address());
            long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertEquals(0, f.exit(), f.out() + f.err());
            assertTrue(cp.waitFor(180, TimeUnit.SECONDS), "cp hangs after the failover");
            long cpMs = (System.nanoTime() - killedAt) / 1_000_000;
            String cpOut = new String(cp.getInputStream().readAllBytes());
            System.out.printf("MountFailoverProcessTest: cp exit %d %s; after the master's SIGKILL the failover command "
                    + "returned at %d ms, cp ended at %d ms%n", cp.exitValue(), cpOut.trim(), failoverMs, cpMs);
            byte[] back = Files.readAllBytes(mnt.resolve("during.bin"));
            if (cp.exitValue() == 0) {
                assertArrayEquals(sha(data), sha(back), "the copy completed with other bytes");
            } else {
                assertTrue(cpOut.contains("Input/output error"), "cp failed otherwise: " + cpOut);
                assertTrue(back.length <= data.length, "longer than the source");
                assertArrayEquals(sha(Arrays.copyOf(data, back.length)), sha(back), "a failed copy left wrong bytes");
            }

            // the same mount now works against the promoted shadow
            GrainfsProcess.Result again = GrainfsProcess.run("--master", shadowAddress.toString(), "report");
            assertEquals(0, again.exit(), again.out() + again.err());
            Process cp2 = new ProcessBuilder("cp", src.toString(), mnt.resolve("after.bin").toString())
                    .redirectErrorStream(true).start();
            assertTrue(cp2.waitFor(180, TimeUnit.SECONDS), "cp after the failover hangs");
            assertEquals(0, cp2.exitValue(), new String(cp2.getInputStream().readAllBytes()));
            assertArrayEquals(sha(data), sha(Files.readAllBytes(mnt.resolve("after.bin"))));
            assertEquals(0, mount.terminate(), "mount exit code on SIGTERM");
            mount = null;
        } finally {
            if (mount != null) {
                mount.close();
                SecurityCliTest.run(List.of("fusermount", "-u", "-z", mnt.toString()));
            }
            for (GrainfsProcess p : daemons) {
                p.close();
            }
        }
    }

    private static byte[] sha(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
