package dev.grainfs.daemons.healing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.wire.proto.FsckChunk;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** setrep down then up: the replica files on the chunkservers' disks follow. */
class SetrepTest {
    @TempDir
    Path dir;

    @Test
    void setrepTwoThenFourChangesTheReplicasOnDisk() throws Exception {
        try (MiniCluster c = DecommissionTest.cluster(dir, 5).start()) {
            GrainClient client = c.client();
            Map<String, byte[]> files = Healing.writeFiles(client, 12, DecommissionTest.CHUNK, 13);
            int chunks = ClusterAdmin.chunks(c).size();
            assertEquals(3L * chunks, onDisk(c));
            for (int want : new int[] {2, 4}) {
                for (String p : files.keySet()) {
                    client.setReplication(c.client().config().caller(), p, want);
                }
                long t = Healing.await(want + " replicas of each chunk on disk", 60_000,
                        () -> onDisk(c) == (long) want * chunks && Healing.exactlyReplicated(client));
                System.out.printf("setrep %d: %d chunks at %d replicas in %d ms%n", want, chunks, want, t);
                for (FsckChunk ch : ClusterAdmin.chunks(c)) {
                    assertEquals(want, ch.getLive(), ch.toString());
                }
            }
            for (var e : files.entrySet()) {
                assertArrayEquals(e.getValue(), Healing.get(client, e.getKey()), e.getKey());
            }
        }
    }

    static long onDisk(MiniCluster c) {
        long n = 0;
        try {
            for (int i = 0; i < c.chunkServerCount(); i++) {
                n += Healing.chunkFiles(c.dataDir(i)).size();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return n;
    }
}
