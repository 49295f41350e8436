package dev.grainfs.daemons.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic failover through a real (in-process) ZooKeeper server: the master leads, its shadow is
 * second in line; when the master's ZooKeeper session expires the master fences itself and the shadow
 * promotes itself with nobody asking, keeping every change the master acknowledged.
 */
class AutomaticFailoverTest {
    @TempDir
    Path dir;

    @Test
    void theShadowTakesOverByItselfWhenTheMastersSessionEndsAndNothingAcknowledgedIsLost() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             MiniCluster c = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1)).start()) {
            LeaderElection masterSide = new LeaderElection(zk.getConnectString(), "/grainfs",
                    c.masterAddress().toString());
            masterSide.start(30_000);
            masterSide.awaitLeadership(10_000);
            c.master().withElection(masterSide);

            // no chunkserver reports to the shadow here: once promoted it must not wait for one in safe mode
            MasterConfig sc = MasterConfig.defaults(dir.resolve("shadow")).withPort(0)
                    .withSafeMode(new SafeModeConfig(SafeModeConfig.DEFAULT_THRESHOLD, 0, 0));
            try (ShadowMaster s = ShadowMaster.open(sc, c.masterAddress(), WireSecurity.NONE, Exports.OPEN)
                    .withElection(new LeaderElection(zk.getConnectString(), "/grainfs", "shadow"))) {
                s.start();
                waitUntil(() -> c.master().shadow() != null && c.master().shadow().synchronous(), 30_000);
                ClientConfig one = ClientConfig.of(c.masterAddress());
                GrainClient client = GrainClient.connect(new ClientConfig(List.of(c.masterAddress(), s.address()),
                        one.caller(), one.packetBytes(), one.writeWindow(), one.readPieceBytes(), one.readAhead(),
                        one.callTimeoutMs(), 60_000), WireSecurity.NONE);
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    client.mkdir("/d" + i, 0755);
                    client.rename("/d" + i, "/e" + i);
                    acknowledged.add("/e" + i);
                }
                MiniCluster.sleep(1_000); // the shadow has joined the election behind the master by now, or joins later

                // the master's ZooKeeper session ends (a partition, a long pause): ZKFC-style, it fences itself
                masterSide.curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
                waitUntil(() -> c.master().fenced(), 30_000);
                waitUntil(() -> s.promoted() != null, 60_000);
                Master promoted = s.promoted();
                assertEquals(2, promoted.epoch(), "the same epoch increase as grainfs failover");

                client.mkdir("/after", 0755); // moves to the new master by itself
                for (String p : acknowledged) {
                    assertTrue(client.exists(p), p + " was acknowledged before the failover");
                }
                try (GrainClient direct = GrainClient.connect(s.address())) {
                    assertTrue(direct.exists("/after"));
                    assertTrue(direct.exists("/e39"));
                }
                try (GrainClient old = GrainClient.connect(c.masterAddress())) {
                    GrainException e = assertThrows(GrainException.class, () -> old.mkdir("/stale", 0755));
                    assertEquals(StatusCode.ENOTACTIVE, e.status());
                    assertTrue(e.getMessage().contains("ZooKeeper"), e.getMessage());
                }
                assertTrue(!client.exists("/stale"));
                client.close();
            }
        }
    }

    @Test
    void anOldMasterThatWinsTheElectionBelowTheRecordedEpochStaysFenced() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             MiniCluster c = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1)).start()) {
            try (LeaderElection newer = new LeaderElection(zk.getConnectString(), "/grainfs", "newer")) {
                newer.start(30_000);
                newer.awaitLeadership(10_000);
                newer.recordEpoch(7); // a promoted shadow was active with epoch 7
            }
            LeaderElection e = new LeaderElection(zk.getConnectString(), "/grainfs", "old");
            e.start(30_000);
            e.awaitLeadership(10_000);
            c.master().withElection(e);
            assertTrue(c.master().fenced());
            GrainException x = assertThrows(GrainException.class, () -> c.client().mkdir("/x", 0755));
            assertEquals(StatusCode.ENOTACTIVE, x.status());
        }
    }

    @Test
    void badElectionSettingsAreRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LeaderElection("127.0.0.1:1", "grainfs", "x"));
        assertTrue(e.getMessage().contains("/grainfs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LeaderElection(" ", "/grainfs", "x"));
    }

    private static void waitUntil(BooleanSupplier cond, long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "condition not met in " + ms + " ms");
            MiniCluster.sleep(50);
        }
        assertNotNull(cond);
    }
}
