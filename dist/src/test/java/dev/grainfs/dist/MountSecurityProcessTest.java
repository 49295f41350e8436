package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grainfs.fuse.FuseMount;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `grainfs mount --cluster-key` on a keyed cluster with root squashing: the mount gets in only with
 * the key, and through it the master decides per user (the kernel's own mode checks are off with
 * no_default_permissions): another user's 0600 file, a directory without search permission, chmod
 * by a non-owner, and squashed root all fail; the superuser group passes.
 */
class MountSecurityProcessTest {
    static final String[] OWNER = {"setpriv", "--reuid=1000", "--regid=1000", "--groups=1500"};
    static final String[] STRANGER = {"setpriv", "--reuid=1001", "--regid=1001", "--clear-groups"};
    static final String[] ROOT = {};
    @TempDir
    Path dir;

    @Test
    void keyedMountEnforcesPermissionsPerUserAndSquashesRoot() throws Exception {
        assumeTrue(FuseMount.fuseAvailable(), "needs FUSE");
        assumeTrue(new File("/usr/bin/setpriv").canExecute() && "root".equals(System.getProperty("user.name")),
                "needs root and setpriv");
        Path key = dir.resolve("cluster.key");
        assertEquals(0, GrainfsProcess.run("keygen", key.toString()).exit());
        Path other = dir.resolve("other.key");
        assertEquals(0, GrainfsProcess.run("keygen", other.toString()).exit());
        Path exports = dir.resolve("exports");
        Files.writeString(exports, "*  root_squash\nsuperuser-group 1500\n");
        Path mnt = dir.resolve("mnt");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        try (GrainfsProcess master = GrainfsProcess.daemon(dir.resolve("master.log"), "master", "--meta-dir",
                dir.resolve("meta").toString(), "--port", "0", "--replication", "1", "--cluster-key", key.toString(),
                "--exports", exports.toString());
             GrainfsProcess cs = GrainfsProcess.daemon(dir.resolve("cs.log"), "chunkserver", "--master", master.address(),
                     "--data-dir", dir.resolve("cs").toString(), "--port", "0", "--heartbeat", "1",
                     "--cluster-key", key.toString())) {
            String m = master.address();
            GrainfsProcess.Result wrong = GrainfsProcess.run("--master", m, "mount", "--cluster-key", other.toString(),
                    mnt.toString());
            assertNotEquals(0, wrong.exit());
            assertTrue(wrong.err().contains("cluster key rejected by " + m), wrong.err());

            try (GrainfsProcess mount = GrainfsProcess.daemon(dir.resolve("mount.log"), "mount", "--master", m,
                    "--cluster-key", key.toString(), mnt.toString(), "-o", "allow_other,no_default_permissions")) {
                assertTrue(mount.firstLine.startsWith("mounted"), mount.firstLine);
                String d = mnt.toString();
                // uid 1000 is in the superuser group: it may create in root's / and owns what it creates
                sh(OWNER, 0, "mkdir " + d + "/closed && echo inner > " + d + "/closed/f && chmod 700 " + d
                        + "/closed && echo secret > " + d + "/secret && chmod 600 " + d + "/secret");
                assertEquals("secret\n", sh(OWNER, 0, "cat " + d + "/secret"));

                assertTrue(sh(STRANGER, 1, "cat " + d + "/secret").contains("Permission denied"));
                assertTrue(sh(STRANGER, 1, "cat " + d + "/closed/f").contains("Permission denied"));
                assertTrue(sh(STRANGER, 1, "chmod 644 " + d + "/secret").contains("Operation not permitted"));
                assertTrue(sh(ROOT, 1, "cat " + d + "/secret").contains("Permission denied"), "root is squashed");
                assertTrue(sh(ROOT, 1, "ls " + d + "/closed").contains("Permission denied"));
                assertEquals(0, mount.terminate());
            } finally {
                SecurityCliTest.run(List.of("fusermount", "-u", "-z", mnt.toString())); // after a failure: no stale mount
            }
        }
    }

    /** Runs {@code script} with sh as {@code user}; checks the exit (0 or non-zero); returns stdout + stderr. */
    static String sh(String[] user, int exit, String script) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(user));
        cmd.addAll(List.of("sh", "-c", script));
        String[] r = SecurityCliTest.run(cmd);
        if (exit == 0) {
            assertEquals("0", r[0], script + ": " + r[2]);
        } else {
            assertNotEquals("0", r[0], script + " succeeded: " + r[1]);
        }
        return r[1] + r[2];
    }
}
