package dev.grainfs.daemons.healing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.core.wire.proto.BalanceAction;
import dev.grainfs.core.wire.proto.BalanceResponse;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The balancer: empty servers added to a loaded cluster end within the threshold of the average,
 * every file reads back, the racks stay spread. All servers of a MiniCluster share one file system,
 * so their capacity is the same (and large): the threshold is set to a few MiB worth of it.
 */
class BalancerTest {
    static final long CHUNK = 1 << 20;
    static final long SLACK = 6L << 20;
    @TempDir
    Path dir;

    @Test
    void emptyServersFillUpUntilEveryServerIsWithinTheThreshold() throws Exception {
        try (MiniCluster c = DecommissionTest.cluster(dir, 3).master(m -> m.withChunkSize(CHUNK).withDeadAfterMs(3_000)
                .withLeaseMs(5_000)).start(); MetadataAdmin admin = ClusterAdmin.admin(c)) {
            GrainClient client = c.client();
            Map<String, byte[]> files = Healing.writeFiles(client, 40, CHUNK, 11);
            c.addChunkServer(); // cs3, rack /r2
            c.addChunkServer(); // cs4, rack /r1
            c.waitForServers(5);
            Healing.await("the servers' use reported", 20_000, () -> ClusterAdmin.servers(c).stream()
                    .filter(s -> s.chunks() > 0).allMatch(s -> s.used() > 0));
            long capacity = ClusterAdmin.servers(c).get(0).capacity();
            double threshold = 100.0 * SLACK / capacity;
            long before = spread(c);

            BalanceResponse r = admin.balance(BalanceAction.BALANCE_START, threshold, 64L << 20);
            assertTrue(r.getRunning(), r.getStatus());
            long t = Healing.await("the balancer to finish", 120_000, () -> !status(admin).getRunning());
            BalanceResponse done = status(admin);
            System.out.printf("balancer: %d chunks (%d MiB) moved in %d ms; max-min used %d -> %d MiB: %s%n",
                    done.getChunksMoved(), done.getBytesMoved() >> 20, t, before >> 20, spread(c) >> 20, done.getStatus());
            assertTrue(done.getBalanced(), done.getStatus());
            assertTrue(done.getChunksMoved() > 0);
            // the heartbeats show the last moves a little later
            try {
                Healing.await("every server within the threshold", 20_000, () -> withinThreshold(c, SLACK));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + ClusterAdmin.servers(c) + " disk: " + onDisk(c), e);
            }
            for (var e : files.entrySet()) {
                assertArrayEquals(e.getValue(), Healing.get(client, e.getKey()), e.getKey());
            }
            Healing.await("fsck HEALTHY", 20_000, () -> Healing.exactlyReplicated(client));
            DecommissionTest.assertFullyReplicatedElsewhere(c);
            // the status API shows it too
            @SuppressWarnings("unchecked")
            Map<String, Object> b = (Map<String, Object>) c.master().status().jobs().get("balancer");
            assertEquals(false, b.get("running"));
            assertEquals(done.getChunksMoved(), ((Number) b.get("chunksMoved")).longValue());
        }
    }

    @Test
    void stopEndsTheBalancerAndBadSettingsAreRefused() throws Exception {
        try (MiniCluster c = DecommissionTest.cluster(dir, 3).start(); MetadataAdmin admin = ClusterAdmin.admin(c)) {
            Healing.writeFiles(c.client(), 10, DecommissionTest.CHUNK, 12);
            c.addChunkServer();
            c.waitForServers(4);
            GrainException bad = assertThrows(GrainException.class,
                    () -> admin.balance(BalanceAction.BALANCE_START, 150, 0));
            assertEquals(StatusCode.EINVAL, bad.status());
            assertFalse(status(admin).getRunning());
            // the balancer sees the use the servers' heartbeats report: wait until the loaded ones did
            Healing.await("the servers' use reported", 20_000, () -> ClusterAdmin.servers(c).stream()
                    .filter(s -> s.chunks() > 0).allMatch(s -> s.used() > 0));
            // a tiny bandwidth keeps it going long enough to stop it
            assertTrue(admin.balance(BalanceAction.BALANCE_START, 0.0001, 1).getRunning());
            BalanceResponse stopped = admin.balance(BalanceAction.BALANCE_STOP, 0, 0);
            assertFalse(stopped.getRunning());
            assertTrue(stopped.getStatus().contains("stopped"), stopped.getStatus());
            Healing.await("fsck HEALTHY", 20_000, () -> Healing.exactlyReplicated(c.client()));
        }
    }

    static String onDisk(MiniCluster c) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < c.chunkServerCount(); i++) {
            long n = 0;
            for (Path p : Healing.chunkFiles(c.dataDir(i))) {
                n += java.nio.file.Files.size(p);
            }
            b.append(" cs").append(i).append('=').append(n >> 10).append("K");
        }
        return b.toString();
    }

    static BalanceResponse status(MetadataAdmin admin) {
        try {
            return admin.balance(BalanceAction.BALANCE_STATUS, 0, 0);
        } catch (GrainException e) {
            throw new AssertionError(e);
        }
    }

    static long spread(MiniCluster c) {
        List<ClusterAdmin.Server> s = ClusterAdmin.servers(c);
        return s.stream().mapToLong(ClusterAdmin.Server::used).max().orElse(0)
                - s.stream().mapToLong(ClusterAdmin.Server::used).min().orElse(0);
    }

    /** Same capacity everywhere: within the threshold means within {@code slack} bytes of the mean. */
    static boolean withinThreshold(MiniCluster c, long slack) {
        List<ClusterAdmin.Server> s = ClusterAdmin.servers(c);
        double mean = s.stream().mapToLong(ClusterAdmin.Server::used).average().orElse(0);
        return s.stream().allMatch(x -> Math.abs(x.used() - mean) <= slack);
    }
}
