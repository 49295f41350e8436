package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `grainfs keygen`, daemons started with --cluster-key, and the CLI with the right key, none, or
 * another cluster's; then the CLI run as another Unix user (setpriv) against another user's files.
 */
class SecurityCliTest {
    @TempDir
    Path dir;

    @Test
    void keyedClusterRefusesClientsWithoutTheKeyAndEnforcesPermissionsPerUser() throws Exception {
        Path key = dir.resolve("cluster.key");
        GrainfsProcess.Result kg = GrainfsProcess.run("keygen", key.toString());
        assertEquals(0, kg.exit(), kg.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertNotEquals(0, GrainfsProcess.run("keygen", key.toString()).exit(), "keygen never overwrites");
        Path other = dir.resolve("other.key");
        assertEquals(0, GrainfsProcess.run("keygen", other.toString()).exit());

        try (GrainfsProcess master = GrainfsProcess.daemon(dir.resolve("master.log"), "master", "--meta-dir",
                dir.resolve("meta").toString(), "--port", "0", "--replication", "1", "--cluster-key", key.toString());
             GrainfsProcess cs = GrainfsProcess.daemon(dir.resolve("cs.log"), "chunkserver", "--master", master.address(),
                     "--data-dir", dir.resolve("cs").toString(), "--port", "0", "--heartbeat", "1",
                     "--cluster-key", key.toString())) {
            String m = master.address();
            Thread.sleep(2_000); // the chunkserver registers
            assertTrue(Files.readString(dir.resolve("master.log")).contains("with cluster key"));

            GrainfsProcess.Result none = GrainfsProcess.run("--master", m, "ls", "/");
            assertNotEquals(0, none.exit());
            assertTrue(none.err().contains("requires a cluster key"), none.err());
            GrainfsProcess.Result wrong = GrainfsProcess.run("--master", m, "--cluster-key", other.toString(), "ls", "/");
            assertNotEquals(0, wrong.exit());
            assertTrue(wrong.err().contains("cluster key rejected by " + m), wrong.err());
            assertTrue(Files.readString(dir.resolve("master.log")).contains("refused connection from"),
                    "the master logs the refused peer");

            Path src = dir.resolve("secret.txt");
            Files.writeString(src, "root's secret\n");
            String k = key.toString();
            assertEquals(0, GrainfsProcess.run("--master", m, "--cluster-key", k, "put", src.toString(), "/secret").exit());
            assertEquals(0, GrainfsProcess.run("--master", m, "--cluster-key", k, "chmod", "600", "/secret").exit());
            assertEquals(0, GrainfsProcess.run("--master", m, "--cluster-key", k, "mkdir", "/closed").exit());
            assertEquals(0, GrainfsProcess.run("--master", m, "--cluster-key", k, "put", src.toString(), "/closed/f").exit());
            assertEquals(0, GrainfsProcess.run("--master", m, "--cluster-key", k, "chmod", "700", "/closed").exit());
            GrainfsProcess.Result cat = GrainfsProcess.run("--master", m, "--cluster-key", k, "cat", "/secret");
            assertEquals("root's secret\n", cat.out(), cat.err());

            asAnotherUser(m, key);
        }
    }

    /** The CLI as uid 1000 (setpriv), with its own copy of the key, reading root's files. */
    void asAnotherUser(String m, Path key) throws Exception {
        assumeTrue(new File("/usr/bin/setpriv").canExecute() && "root".equals(System.getProperty("user.name")),
                "needs root and setpriv");
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.startsWith("/root") && Files.isRegularFile(p)) { // /root is 0700: give uid 1000 a copy
                Path copy = share.resolve(cp.size() + "-" + p.getFileName());
                Files.copy(p, copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                cp.add(copy.toString());
            } else {
                cp.add(e);
            }
        }
        Path userKey = share.resolve("user.key");
        Files.copy(key, userKey);
        run(List.of("chown", "1000:1000", userKey.toString()));

        List<String> base = List.of("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                String.join(File.pathSeparator, cp), "dev.grainfs.dist.Main", "--master", m, "--cluster-key",
                userKey.toString());
        String[] cat = run(concat(base, "cat", "/secret"));
        assertNotEquals("0", cat[0], "uid 1000 read root's 0600 file: " + cat[1]);
        assertTrue(cat[2].contains("/secret") && cat[2].toLowerCase().contains("permission denied"), cat[2]);
        String[] search = run(concat(base, "cat", "/closed/f"));
        assertNotEquals("0", search[0]);
        assertTrue(search[2].toLowerCase().contains("permission denied"), search[2]);
        String[] chmod = run(concat(base, "chmod", "644", "/secret"));
        assertNotEquals("0", chmod[0], "uid 1000 chmod'ed root's file");
        String[] ls = run(concat(base, "ls", "/"));
        assertEquals("0", ls[0], "uid 1000 may still list / : " + ls[2]);
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    /** Runs a command; returns {exit, stdout, stderr}. */
    static String[] run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile("out", ".txt");
        Path err = Files.createTempFile("err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " did not finish");
        }
        return new String[] {String.valueOf(p.exitValue()), Files.readString(out), Files.readString(err)};
    }
}
