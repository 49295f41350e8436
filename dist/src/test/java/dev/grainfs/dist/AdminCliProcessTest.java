package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster admin commands as operators run them, one-shot `grainfs` processes against a master and
 * four chunkserver processes on two racks: report (people and --json), setrep, decommission, balance.
 */
class AdminCliProcessTest {
    @TempDir
    Path dir;

    @Test
    void reportSetrepDecommissionAndBalanceThroughTheCli() throws Exception {
        List<GrainfsProcess> cs = new ArrayList<>();
        try (GrainfsProcess m = GrainfsProcess.daemon(dir.resolve("m.log"), "master", "--meta-dir",
                dir.resolve("meta").toString(), "--port", "0", "--chunk-size", "1m", "--heartbeat", "500ms",
                "--dead-after", "3", "--lease", "5", "--replication-scan", "200ms")) {
            for (int i = 0; i < 4; i++) {
                cs.add(GrainfsProcess.daemon(dir.resolve("cs" + i + ".log"), "chunkserver", "--master", m.address(),
                        "--data-dir", dir.resolve("cs" + i).toString(), "--port", "0", "--heartbeat", "500ms",
                        "--rack", i % 2 == 0 ? "/r1" : "/r2"));
            }
            String master = m.address();
            assertEquals(0, ok(master, "mkdir", "/d").exit());
            List<Path> sources = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path src = dir.resolve("src" + i);
                CliProcessTest.randomFile(src, (3L << 20) + i * 1000, 20 + i);
                sources.add(src);
                ok(master, "put", src.toString(), "/d/f" + i);
            }

            String report = await(master, r -> r.out().lines().filter(l -> l.contains(" LIVE ")).count() == 4, "report");
            assertTrue(report.contains("/r1") && report.contains("/r2"), report);
            assertTrue(report.contains("Servers:    4 live, 0 dead"), report);
            assertTrue(report.contains("Master:     active, epoch 1") && report.contains("Shadow:     none"), report);
            String json = ok(master, "report", "--json").out();
            assertTrue(json.startsWith("{\"cluster\":{") && json.contains("\"jobs\":{\"replication\""), json);
            List<String> ids = new ArrayList<>();
            Matcher idm = Pattern.compile("\"id\":\"(cs-[0-9a-f]+)\",\"address\"").matcher(json);
            while (idm.find()) {
                ids.add(idm.group(1));
            }
            assertEquals(4, ids.size(), json);

            assertTrue(ok(master, "setrep", "--wait", "2", "/d").out().contains("replication of 3 files under /d set to 2"));
            assertTrue(ok(master, "setrep", "-w", "4", "/d").out().contains("done: 11 chunks at replication 4"));
            ok(master, "setrep", "3", "/d/f0");
            ok(master, "setrep", "--wait", "3", "/d");
            GrainfsProcess.Result bad = GrainfsProcess.run("--master", master, "setrep", "0", "/d");
            assertEquals(1, bad.exit());
            assertTrue(bad.err().startsWith("grainfs: setrep: ") && bad.err().contains("out of range")
                    && bad.err().lines().count() == 1, bad.err());

            String victim = ids.get(0);
            GrainfsProcess.Result dec = ok(master, "decommission", victim, "--wait");
            assertTrue(dec.out().trim().endsWith(victim + ": DECOMMISSIONED"), dec.out());
            assertTrue(ok(master, "report").out().lines().anyMatch(l -> l.startsWith(victim) && l.contains("DECOMMISSIONED")));
            assertTrue(ok(master, "report", "--json").out().contains("\"state\":\"DECOMMISSIONED\""));
            assertEquals(0, ok(master, "fsck").exit());
            assertTrue(ok(master, "decommission", "--cancel", victim).out().contains(victim + ": LIVE"));
            GrainfsProcess.Result none = GrainfsProcess.run("--master", master, "decommission", "cs-nosuch");
            assertEquals(1, none.exit());
            assertEquals("grainfs: decommission: no chunkserver cs-nosuch (see report)\n", none.err());

            // one file system under all four: they are within 50 points of each other already
            GrainfsProcess.Result bal = ok(master, "balance", "--threshold", "50", "--bandwidth", "64m", "--wait");
            assertTrue(bal.out().contains("balanced: every server within 50.0%"), bal.out());
            assertTrue(ok(master, "balance", "--status").out().startsWith("not running (balanced"));
            GrainfsProcess.Result over = GrainfsProcess.run("--master", master, "balance", "--threshold", "500");
            assertEquals(1, over.exit());
            assertTrue(over.err().contains("threshold must be between 0 and 100 percent"), over.err());
            assertTrue(ok(master, "balance", "--stop").out().startsWith("not running"));

            for (int i = 0; i < 3; i++) {
                Path back = dir.resolve("back" + i);
                ok(master, "get", "/d/f" + i, back.toString());
                assertArrayEquals(CliProcessTest.sha(sources.get(i)), CliProcessTest.sha(back));
            }
            await(master, r -> r.exit() == 0, "fsck");
            for (GrainfsProcess p : cs) {
                assertEquals(0, p.terminate());
            }
            assertEquals(0, m.terminate());
        } finally {
            for (GrainfsProcess p : cs) {
                p.close();
            }
        }
    }

    private static GrainfsProcess.Result ok(String master, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("--master", master));
        a.addAll(List.of(args));
        GrainfsProcess.Result r = GrainfsProcess.run(a.toArray(String[]::new));
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err() + r.out());
        return r;
    }

    /** Runs {@code command} until its result passes; returns the last stdout. */
    private static String await(String master, java.util.function.Predicate<GrainfsProcess.Result> done, String command)
            throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            GrainfsProcess.Result r = GrainfsProcess.run("--master", master, command);
            if (done.test(r)) {
                return r.out();
            }
            assertTrue(System.currentTimeMillis() < deadline, command + " never passed: " + r.out() + r.err());
            Thread.sleep(500);
        }
    }
}
