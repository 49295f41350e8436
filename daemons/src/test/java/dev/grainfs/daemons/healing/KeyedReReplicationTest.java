package dev.grainfs.daemons.healing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.security.ClusterKey;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-replication in a cluster with a key: chunkservers demand a chunk token from every reader,
 * the copying chunkserver included, so the master's copy order must carry one.
 */
class KeyedReReplicationTest {
    @TempDir
    Path dir;

    @Test
    void killingOneOfFourInAKeyedClusterRestoresEveryReplica() throws Exception {
        try (MiniCluster c = ReReplicationTest.cluster(dir, 4).security(WireSecurity.of(ClusterKey.random())).start()) {
            GrainClient client = c.client();
            Map<String, byte[]> files = Healing.writeFiles(client, 20, ReReplicationTest.CHUNK, 7);
            assertTrue(Healing.fsck(client).getHealthy());
            String victim = c.chunkServer(2).serverId();
            c.stopChunkServer(2);
            Healing.await("the dead server's chunks under-replicated", ReReplicationTest.DEAD_AFTER + 10_000,
                    () -> ReReplicationTest.under(client) > 0);
            long repair = Healing.await("fsck HEALTHY", 60_000, () -> Healing.exactlyReplicated(client));
            System.out.printf("keyed re-replication: repaired in %d ms%n", repair);
            Healing.assertFullyReplicatedWithout(client, files, victim);
        }
    }
}
