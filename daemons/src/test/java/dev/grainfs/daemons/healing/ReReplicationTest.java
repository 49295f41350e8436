package dev.grainfs.daemons.healing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.wire.proto.FsckResponse;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dead chunkservers: their chunks are copied back to full replication, the most endangered first. */
class ReReplicationTest {
    static final long CHUNK = 1 << 20;
    static final long DEAD_AFTER = 3_000;
    @TempDir
    Path dir;

    static MiniCluster.Builder cluster(Path dir, int servers) {
        return MiniCluster.builder(dir).chunkservers(servers)
                .master(m -> m.withChunkSize(CHUNK).withDeadAfterMs(DEAD_AFTER).withLeaseMs(5_000))
                .healing(h -> h.withScanIntervalMs(200).withCopyTimeoutMs(10_000));
    }

    @Test
    void killingOneOfFourRestoresThreeReplicasAndFilesReadBack() throws Exception {
        try (MiniCluster c = cluster(dir, 4).start()) {
            GrainClient client = c.client();
            Map<String, byte[]> files = Healing.writeFiles(client, 50, CHUNK, 1);
            assertTrue(Healing.fsck(client).getHealthy());
            String victim = c.chunkServer(1).serverId();
            c.stopChunkServer(1);
            Healing.await("the dead server's chunks under-replicated", DEAD_AFTER + 5_000,
                    () -> under(client) > 0);
            FsckResponse sick = Healing.fsck(client);
            assertFalse(sick.getHealthy());
            long repair = Healing.await("fsck HEALTHY", 30_000, () -> Healing.exactlyReplicated(client));
            System.out.printf("re-replication: %d under-replicated chunks repaired in %d ms%n",
                    sick.getUnderReplicated(), repair);
            Healing.assertFullyReplicatedWithout(client, files, victim);
        }
    }

    @Test
    void killingTwoRepairsChunksWithOneReplicaFirst() throws Exception {
        try (MiniCluster c = cluster(dir, 6).repair(r -> r.withMaxCopies(1).withCopyBytesPerSec(4L << 20))
                .healing(h -> h.withScanIntervalMs(200).withMaxCopiesPerServer(1)).start()) {
            GrainClient client = c.client();
            Healing.writeFiles(client, 50, CHUNK, 2);
            c.stopChunkServer(0);
            c.stopChunkServer(1);
            Healing.await("servers declared dead", DEAD_AFTER + 5_000, () -> c.master().liveServers() == 4);
            // first time each chunk got above its live count at death
            Map<Long, Integer> atDeath = liveCounts(client);
            Map<Long, Long> repairedAt = new HashMap<>();
            long t0 = System.currentTimeMillis();
            while (!Healing.exactlyReplicated(client)) {
                assertTrue(System.currentTimeMillis() - t0 < 60_000, "repair took over 60 s");
                Map<Long, Integer> now = liveCounts(client);
                now.forEach((h, n) -> {
                    if (n > atDeath.getOrDefault(h, 3)) {
                        repairedAt.putIfAbsent(h, System.currentTimeMillis() - t0);
                    }
                });
                Healing.sleep(20);
            }
            long end = System.currentTimeMillis() - t0;
            liveCounts(client).forEach((h, n) -> {
                if (n > atDeath.getOrDefault(h, 3)) {
                    repairedAt.putIfAbsent(h, end);
                }
            });
            List<Long> ones = new ArrayList<>();
            List<Long> twos = new ArrayList<>();
            atDeath.forEach((h, n) -> {
                if (n == 1) {
                    ones.add(repairedAt.getOrDefault(h, Long.MAX_VALUE / 4));
                } else if (n == 2) {
                    twos.add(repairedAt.getOrDefault(h, Long.MAX_VALUE / 4));
                }
            });
            assertFalse(ones.isEmpty(), "no chunk lost two replicas");
            double meanOnes = ones.stream().mapToLong(x -> x).average().orElse(0);
            double meanTwos = twos.stream().mapToLong(x -> x).average().orElse(0);
            System.out.printf("two servers lost: %d chunks with 1 replica repaired after %.0f ms on average, "
                    + "%d with 2 after %.0f ms%n", ones.size(), meanOnes, twos.size(), meanTwos);
            assertTrue(meanOnes < meanTwos, "1-replica chunks should be repaired first");
        }
    }

    static long under(GrainClient client) {
        try {
            return Healing.fsck(client).getUnderReplicated();
        } catch (Exception e) {
            return 0;
        }
    }

    static Map<Long, Integer> liveCounts(GrainClient client) throws Exception {
        Map<Long, Integer> out = new HashMap<>();
        for (var f : Healing.fsckChunks(client).getFileListList()) {
            for (var ch : f.getChunksList()) {
                out.put(ch.getHandle(), ch.getLive());
            }
        }
        return out;
    }
}
