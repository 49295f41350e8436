package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.id.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic failover with real processes: a ZooKeeper server in this JVM, `grainfs master` and
 * `grainfs shadow` with --zookeeper, 3 chunkservers reporting to both, clients listing both masters.
 * SIGKILL the master: with no command, the shadow promotes itself when the master's ZooKeeper session
 * expires, the clients carry on, and every acknowledged op is on the new master.
 */
class ZooKeeperFailoverProcessTest {
    private static final int CLIENTS = 3;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void killingTheMasterPromotesTheShadowWithoutACommand() throws Exception {
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        List<GrainfsProcess> daemons = new ArrayList<>();
        List<MasterKillProcessTest.ClientWorker> workers = new ArrayList<>();
        MasterKillProcessTest.ClientWorker.Gate gate = new MasterKillProcessTest.ClientWorker.Gate();
        try (TestingServer zk = new TestingServer(true)) {
            Path masterLog = dir.resolve("master.log");
            Path shadowLog = dir.resolve("shadow.log");
            GrainfsProcess master = GrainfsProcess.daemon(masterLog, "master", "--meta-dir",
                    dir.resolve("meta").toString(), "--port", "0", "--chunk-size", "1m", "--heartbeat", "1",
                    "--safemode-extension", "500ms", "--trash-retention", "0", "--shadow-timeout", "2s",
                    "--zookeeper", zk.getConnectString(), "--zookeeper-path", "/test-cluster");
            daemons.add(master);
            GrainfsProcess shadow = GrainfsProcess.daemon(shadowLog, "shadow", "--master", master.address(),
                    "--meta-dir", dir.resolve("shadow").toString(), "--port", "0", "--heartbeat", "1",
                    "--safemode-extension", "500ms", "--trash-retention", "0",
                    "--zookeeper", zk.getConnectString(), "--zookeeper-path", "/test-cluster");
            daemons.add(shadow);
            HostPort masterAddress = HostPort.parse(master.address());
            HostPort shadowAddress = HostPort.parse(shadow.address());
            for (int i = 0; i < 3; i++) {
                daemons.add(GrainfsProcess.daemon(dir.resolve("cs" + i + ".log"), "chunkserver", "--master",
                        master.address() + "," + shadow.address(), "--data-dir", dir.resolve("cs" + i).toString(),
                        "--port", "0", "--heartbeat", "1"));
            }
            ClientConfig both = new ClientConfig(List.of(masterAddress, shadowAddress), ClientConfig.currentUser(),
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
            awaitLine(masterLog, "is synchronous");
            awaitLine(shadowLog, "joined the ZooKeeper election");
            ShadowProcessTest.awaitAcked(workers, 60);

            long before = ShadowProcessTest.acked(workers);
            while (ShadowProcessTest.acked(workers) == before) {
                Thread.sleep(1); // kill right after an acknowledgement: the measure starts at the last one
            }
            master.kill9();
            long killedAt = System.nanoTime();
            long ackedAtKill = ShadowProcessTest.acked(workers);
            ShadowProcessTest.awaitAcked(workers, ackedAtKill + 1);
            long firstAckMs = (System.nanoTime() - killedAt) / 1_000_000;
            ShadowProcessTest.awaitAcked(workers, ShadowProcessTest.acked(workers) + 30);
            gate.pause(workers);
            System.out.printf("ZooKeeperFailoverProcessTest: %d ops acknowledged; after the master's SIGKILL the "
                    + "first op was acknowledged on the promoted shadow at %d ms (ZooKeeper session timeout %d ms)%n",
                    ShadowProcessTest.acked(workers), firstAckMs,
                    dev.grainfs.daemons.master.LeaderElection.DEFAULT_SESSION_MS);
            assertTrue(Files.readString(shadowLog).contains("AUTOMATIC FAILOVER"), "promoted by the election");
            ShadowProcessTest.checkEverything(shadowAddress, workers, "on the automatically promoted shadow");
            gate.stop(workers);
            for (MasterKillProcessTest.ClientWorker w : workers) {
                assertTrue(w.error == null, "client thread died: " + w.error);
            }
        } finally {
            gate.stop(workers);
            for (MasterKillProcessTest.ClientWorker w : workers) {
                w.interrupt();
                w.client.close();
            }
            for (GrainfsProcess p : daemons) {
                p.close();
            }
        }
    }

    private static void awaitLine(Path log, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.readString(log).contains(text)) {
            assertTrue(System.currentTimeMillis() < deadline, log.getFileName() + " never said '" + text + "'");
            Thread.sleep(100);
        }
    }
}
