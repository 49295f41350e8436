package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void killingTheMasterPromotesTheShadowWithoutACommand() throws Exception {
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        List<GrainfsProcess> daemons = new ArrayList<>();
        List<MasterKillProcessTest.ClientWorker> workers = new ArrayList<>();
        MasterKillProcessTest.ClientWorker.Gate gate = new MasterKillProcessTest.ClientWorker.Gate();
        // -Dgrainfs.zk.session=3s measures another session timeout (docs/benchmarks.md)
        String session = System.getProperty("grainfs.zk.session", "4s");
        try (TestingServer zk = new TestingServer(true)) {
            Path masterLog = dir.resolve("master.log");
            Path shadowLog = dir.resolve("shadow.log");
            GrainfsProcess master = GrainfsProcess.daemon(masterLog, "master", "--meta-dir",
                    dir.resolve("meta").toString(), "--port", "0", "--chunk-size", "1m", "--heartbeat", "1",
                    "--safemode-extension", "500ms", "--trash-retention", "0", "--shadow-timeout", "2s",
                    "--zookeeper", zk.getConnectString(), "--zookeeper-path", "/test-cluster",
                    "--zookeeper-session-timeout", session);
            daemons.add(master);
            GrainfsProcess shadow = GrainfsProcess.daemon(shadowLog, "shadow", "--master", master.address(),
                    "--meta-dir", dir.resolve("shadow").toString(), "--port", "0", "--heartbeat", "1",
                    "--safemode-extension", "500ms", "--trash-retention", "0",
                    "--zookeeper", zk.getConnectString(), "--zookeeper-path", "/test-cluster",
                    "--zookeeper-session-timeout", session);
            daemons.add(shadow);
            HostPort masterAddress = HostPort.parse(master.address());
            HostPort shadowAddress = HostPort.parse(shadow.address());
            ShadowProcessTest.startChunkserversAndWriters(dir, masterAddress, shadowAddress, daemons, workers, gate,
                    rnd);
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
                    + "first op was acknowledged on the promoted shadow at %d ms (ZooKeeper session timeout %s)%n",
                    ShadowProcessTest.acked(workers), firstAckMs, session);
            assertTrue(Files.readString(shadowLog).contains("AUTOMATIC FAILOVER"), "promoted by the election");
            ShadowProcessTest.checkEverything(shadowAddress, workers, "on the automatically promoted shadow");
            gate.stop(workers);
            for (MasterKillProcessTest.ClientWorker w : workers) {
                assertTrue(w.error == null, "client thread died: " + w.error);
            }
        } finally {
            ShadowProcessTest.stopAll(gate, workers, daemons);
        }
    }

    @Test
    void badZooKeeperSettingsAreRefusedWithOneLineAndChangeNothing() throws Exception {
        Path meta = dir.resolve("meta");
        GrainfsProcess.Result r = GrainfsProcess.run("master", "--meta-dir", meta.toString(), "--port", "0",
                "--zookeeper", "zk1");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("bad --zookeeper") && r.err().contains("HOST:PORT"), r.err());
        r = GrainfsProcess.run("shadow", "--master", "127.0.0.1:1", "--meta-dir", meta.toString(), "--port", "0",
                "--zookeeper", "127.0.0.1:2181", "--zookeeper-path", "grainfs/");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("ZooKeeper path must look like /grainfs"), r.err());
        r = GrainfsProcess.run("master", "--meta-dir", meta.toString(), "--port", "0",
                "--zookeeper", "127.0.0.1:2181", "--zookeeper-session-timeout", "100ms");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("--zookeeper-session-timeout must be between 1s and 60s"), r.err());
        assertTrue(!Files.exists(meta), "nothing created");
    }

    private static void awaitLine(Path log, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.readString(log).contains(text)) {
            assertTrue(System.currentTimeMillis() < deadline, log.getFileName() + " never said '" + text + "'");
            Thread.sleep(100);
        }
    }
}
