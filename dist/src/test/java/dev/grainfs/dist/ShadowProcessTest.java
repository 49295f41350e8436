package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.proto.StatusCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover with real processes: master, shadow master, 3 chunkservers reporting to both; clients
 * listing both masters create, mkdir, rename, delete and append all along.
 *
 * <pre>
 *   run ─> kill -9 shadow, restart it (the master goes on alone, the shadow catches up) ─> run
 *       ─> kill -9 master, ops in flight ─> `grainfs failover` ─> clients carry on, on the new master
 *       ─> pause: every acknowledged op is there
 *          and every file reads back ─> the old master restarted is fenced: it refuses changes
 * </pre>
 */
class ShadowProcessTest {
    private static final int CLIENTS = 3;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void failoverLosesNoAcknowledgedOperationAndFencesTheOldMaster() throws Exception {
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        List<GrainfsProcess> daemons = new ArrayList<>();
        List<MasterKillProcessTest.ClientWorker> workers = new ArrayList<>();
        MasterKillProcessTest.ClientWorker.Gate gate = new MasterKillProcessTest.ClientWorker.Gate();
        try {
            Path masterLog = dir.resolve("master.log");
            GrainfsProcess master = startMaster("0", masterLog);
            daemons.add(master);
            String masterPort = master.address().substring(master.address().lastIndexOf(':') + 1);
            GrainfsProcess shadow = startShadow(master.address(), "0");
            daemons.add(shadow);
            HostPort masterAddress = HostPort.parse(master.address());
            HostPort shadowAddress = HostPort.parse(shadow.address());
            startChunkserversAndWriters(dir, masterAddress, shadowAddress, daemons, workers, gate, rnd);
            awaitAcked(workers, 60);

            shadow.kill9(); // the master waits --shadow-timeout for it once, then goes on alone
            awaitAcked(workers, acked(workers) + 10);
            shadow = startShadow(master.address(), String.valueOf(shadowAddress.port()));
            daemons.add(shadow);
            awaitSynchronousAgain(masterLog);
            awaitAcked(workers, acked(workers) + 30);

            master.kill9(); // with ops in flight: they retry on the shadow, which refuses them until promoted
            long killedAt = System.nanoTime();
            long ackedAtKill = acked(workers);
            GrainfsProcess.Result f = GrainfsProcess.run("--master", master.address() + "," + shadow.address(),
                    "failover", "--to", shadow.address());
            long commandMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertEquals(0, f.exit(), f.out() + f.err());
            assertTrue(f.out().contains("epoch 2"), f.out());
            awaitAcked(workers, ackedAtKill + 1);
            long firstAckMs = (System.nanoTime() - killedAt) / 1_000_000;
            awaitAcked(workers, acked(workers) + 30);
            gate.pause(workers);
            System.out.printf("ShadowProcessTest: %d ops acknowledged; after the master's SIGKILL the failover "
                    + "command returned in %d ms, the first op was acknowledged at %d ms (%s)%n", acked(workers),
                    commandMs, firstAckMs, f.out().trim());
            checkEverything(shadowAddress, workers, "on the promoted shadow");

            GrainfsProcess old = startMaster(masterPort, dir.resolve("old-master.log")); // same meta dir and port: it must not take changes
            daemons.add(old);
            try (GrainClient oldOnly = GrainClient.connect(ClientConfig.of(masterAddress).withRetryMs(60_000))) {
                GrainException e = assertThrows(GrainException.class, () -> oldOnly.mkdir("/w0/after-fence", 0755));
                assertEquals(StatusCode.ENOTACTIVE, e.status(), e.getMessage());
                assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
            }
            checkEverything(shadowAddress, workers, "after the old master came back");
            gate.stop(workers);
            for (MasterKillProcessTest.ClientWorker w : workers) {
                assertTrue(w.error == null, "client thread died: " + w.error);
            }
        } finally {
            stopAll(gate, workers, daemons);
        }
    }

    /**
     * Waits until the master logged its shadow synchronous a second time (after the restart): before
     * that the master answers on its own, and a failover would lose what only it has.
     */
    private static void awaitSynchronousAgain(Path masterLog) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (java.nio.file.Files.readAllLines(masterLog).stream().filter(l -> l.contains("is synchronous")).count() < 2) {
            assertTrue(System.currentTimeMillis() < deadline, "the shadow did not become synchronous again");
            Thread.sleep(100);
        }
    }

    private GrainfsProcess startMaster(String port, Path log) throws Exception {
        return GrainfsProcess.daemon(log, "master", "--meta-dir",
                dir.resolve("meta").toString(), "--port", port, "--chunk-size", "1m", "--heartbeat", "1",
                "--safemode-extension", "500ms", "--trash-retention", "0", "--shadow-timeout", "2s");
    }

    private GrainfsProcess startShadow(String master, String port) throws Exception {
        return GrainfsProcess.daemon(dir.resolve("shadow-" + System.nanoTime() + ".log"), "shadow", "--master",
                master, "--meta-dir", dir.resolve("shadow").toString(), "--port", port, "--heartbeat", "1",
                "--safemode-extension", "500ms", "--trash-retention", "0");
    }

    /** Three chunkservers reporting to both masters, registered; then CLIENTS writers listing both, started. */
    static void startChunkserversAndWriters(Path dir, HostPort master, HostPort shadow, List<GrainfsProcess> daemons,
                                            List<MasterKillProcessTest.ClientWorker> workers,
                                            MasterKillProcessTest.ClientWorker.Gate gate, Random rnd) throws Exception {
        for (int i = 0; i < 3; i++) {
            daemons.add(GrainfsProcess.daemon(dir.resolve("cs" + i + ".log"), "chunkserver", "--master",
                    master + "," + shadow, "--data-dir", dir.resolve("cs" + i).toString(),
                    "--port", "0", "--heartbeat", "1"));
        }
        ClientConfig both = new ClientConfig(List.of(master, shadow), ClientConfig.currentUser(),
                1 << 20, 16, 1 << 20, 8, 10_000, 90_000);
        try (GrainClient checker = GrainClient.connect(both)) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (checker.statfs().liveServers() < 3) {
                assertTrue(System.currentTimeMillis() < deadline, "chunkservers did not register");
                Thread.sleep(100);
            }
        }
        for (int i = 0; i < CLIENTS; i++) {
            GrainClient c = GrainClient.connect(both);
            c.mkdir("/w" + i, 0755);
            workers.add(new MasterKillProcessTest.ClientWorker(c, new AckModel("/w" + i), gate, rnd.nextLong()));
        }
        workers.forEach(Thread::start);
    }

    /** Stops the writers, closes their clients, kills the daemons. */
    static void stopAll(MasterKillProcessTest.ClientWorker.Gate gate, List<MasterKillProcessTest.ClientWorker> workers,
                        List<GrainfsProcess> daemons) throws InterruptedException {
        gate.stop(workers);
        for (MasterKillProcessTest.ClientWorker w : workers) {
            w.interrupt();
            w.client.close();
        }
        for (GrainfsProcess p : daemons) {
            p.close();
        }
    }

    static long acked(List<MasterKillProcessTest.ClientWorker> workers) {
        return workers.stream().mapToLong(w -> w.acked).sum();
    }

    /** Waits (generously: the machine is shared) until the clients have {@code n} acknowledged ops. */
    static void awaitAcked(List<MasterKillProcessTest.ClientWorker> workers, long n) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (acked(workers) < n) {
            assertTrue(System.currentTimeMillis() < deadline, "clients stuck at " + acked(workers) + " acks");
            for (MasterKillProcessTest.ClientWorker w : workers) {
                assertTrue(w.error == null, "client thread died: " + w.error);
            }
            Thread.sleep(50);
        }
    }

    /** Every client's tree on {@code master}: names, kinds and every file's bytes. */
    static void checkEverything(HostPort master, List<MasterKillProcessTest.ClientWorker> workers,
                                        String when) throws Exception {
        List<String> problems = new ArrayList<>();
        try (GrainClient c = GrainClient.connect(ClientConfig.of(master).withRetryMs(60_000))) {
            for (MasterKillProcessTest.ClientWorker w : workers) {
                Map<String, AckModel.Seen> seen = new TreeMap<>();
                MasterKillProcessTest.walk(c, w.model.root, seen);
                problems.addAll(w.model.check(seen));
            }
        }
        assertTrue(problems.isEmpty(), when + ":\n  " + String.join("\n  ", problems));
    }
}
