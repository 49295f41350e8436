package dev.grainfs.daemons.healing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.client.DirEntry;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.wire.proto.ChunkLocation;
import dev.grainfs.core.wire.proto.FsckResponse;
import dev.grainfs.daemons.chunkserver.store.ChunkStore;
import dev.grainfs.daemons.chunkserver.store.ChunkStoreOptions;
import dev.grainfs.daemons.testing.MiniCluster;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stale, corrupt and orphan replicas, and the trash. */
class ReplicaHygieneTest {
    static final long CHUNK = 1 << 20;
    @TempDir
    Path dir;

    @Test
    void staleReplicasOfARestartedServerAreNeverReadAndAreDeleted() throws Exception {
        try (MiniCluster c = ReReplicationTest.cluster(dir, 4).start()) {
            GrainClient client = c.client();
            Map<String, byte[]> files = Healing.writeFiles(client, 12, CHUNK, 3);
            String id0 = c.chunkServer(0).serverId();
            List<Long> onServer0 = new ArrayList<>();
            for (String p : files.keySet()) {
                for (ChunkLocation l : client.locations(p)) {
                    if (l.getReplicasList().stream().anyMatch(a -> a.getServerId().equals(id0))) {
                        onServer0.add(l.getHandle());
                    }
                }
            }
            assertFalse(onServer0.isEmpty());
            c.stopChunkServer(0);
            // rewrite every file in place: new leases bump the versions of the live replicas only
            Random r = new Random(4);
            for (var e : files.entrySet()) {
                r.nextBytes(e.getValue());
                try (GrainFile f = client.open(e.getKey(), true)) {
                    f.write(0, ByteBuffer.wrap(e.getValue()));
                }
            }
            Healing.await("HEALTHY without server 0", 40_000, () -> c.master().liveServers() == 3
                    && Healing.exactlyReplicated(client));
            c.startChunkServer(0);
            c.waitForServers(4);
            Healing.await("stale replicas deleted from server 0", 45_000, () -> onServer0.stream()
                    .allMatch(h -> Healing.chunkFile(c.dataDir(0), h) == null));
            for (var e : files.entrySet()) {
                assertArrayEquals(e.getValue(), Healing.get(client, e.getKey()), e.getKey());
            }
            assertEquals(0, c.chunkServer(0).readsServed(), "the restarted server served a read");
            Healing.await("HEALTHY", 20_000, () -> Healing.exactlyReplicated(client));
        }
    }

    @Test
    void flippedBytesAreFoundByTheScrubberReplacedAndNeverServed() throws Exception {
        try (MiniCluster c = ReReplicationTest.cluster(dir, 4).healing(h -> h.withScanIntervalMs(2_000))
                .repair(r -> r.withScrub(256L << 20, 300)).start()) {
            GrainClient client = c.client();
            byte[] data = new byte[(int) (2 * CHUNK)];
            new Random(5).nextBytes(data);
            Healing.put(client, "/victim", data);
            ChunkLocation loc = client.locations("/victim").get(0);
            String holder = loc.getReplicas(1).getServerId();
            int i = indexOf(c, holder);
            Path file = Healing.chunkFile(c.dataDir(i), loc.getHandle());
            assertNotNull(file);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(100_000);
                byte b = raf.readByte();
                raf.seek(100_000);
                raf.writeByte(b ^ 0x5a);
            }
            Healing.await("fsck reports the corrupt replica", 15_000, () -> {
                try {
                    return Healing.fsck(client).getCorrupt() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            FsckResponse sick = Healing.fsck(client);
            assertFalse(sick.getHealthy());
            assertArrayEquals(data, Healing.get(client, "/victim"));
            Healing.await("HEALTHY", 20_000, () -> Healing.exactlyReplicated(client));
            Healing.await("corrupt replica deleted", 10_000, () -> Healing.chunkFile(c.dataDir(i), loc.getHandle()) == null);
            assertEquals(3, client.locations("/victim").get(0).getReplicasCount());
            assertTrue(c.chunkServer(i).scrubberFound() >= 1);
            assertArrayEquals(data, Healing.get(client, "/victim"));
        }
    }

    @Test
    void deletedFileIsRestorableFromTrashAndPurgedAfterRetention() throws Exception {
        try (MiniCluster c = ReReplicationTest.cluster(dir, 3).healing(h -> h.withTrashRetentionMs(4_000)).start()) {
            GrainClient client = c.client();
            byte[] data = new byte[(int) (2 * CHUNK + 7)];
            new Random(6).nextBytes(data);
            client.mkdirs("/t");
            Healing.put(client, "/t/a", data);
            client.delete("/t/a", false);
            assertFalse(client.exists("/t/a"));
            List<DirEntry> trash = client.list("/.trash");
            assertEquals(1, trash.size());
            String saved = "/.trash/" + trash.get(0).name() + "/t/a";
            assertTrue(client.exists(saved));
            // the trash is in the operation log: a restarted master still has it
            c.stopMaster();
            c.startMaster();
            c.waitForServers(3);
            GrainClient again = c.client();
            again.rename(saved, "/t/a");
            assertArrayEquals(data, Healing.get(again, "/t/a"));

            List<Long> handles = new ArrayList<>();
            client.locations("/t/a").forEach(l -> handles.add(l.getHandle()));
            again.delete("/t/a", false);
            Healing.await("chunks of the purged file deleted", 20_000, () -> handles.stream().allMatch(h -> {
                for (int i = 0; i < 3; i++) {
                    if (Healing.chunkFile(c.dataDir(i), h) != null) {
                        return false;
                    }
                }
                return true;
            }));
            assertTrue(again.list("/.trash").isEmpty());
        }
    }

    @Test
    void plantedOrphanChunkIsDeleted() throws Exception {
        try (MiniCluster c = ReReplicationTest.cluster(dir, 3).start()) {
            GrainClient client = c.client();
            Healing.put(client, "/keep", new byte[1000]);
            c.stopChunkServer(2);
            long orphan = 0x7eadbeef00000001L;
            try (ChunkStore s = ChunkStore.open(List.of(c.dataDir(2)),
                    ChunkStoreOptions.defaults().withMaxChunkSize(1L << 30))) {
                s.create(orphan, 1);
                s.write(orphan, 0, ByteBuffer.wrap(new byte[4096]));
                s.sync(orphan);
            }
            assertNotNull(Healing.chunkFile(c.dataDir(2), orphan));
            c.startChunkServer(2);
            Healing.await("orphan deleted", 15_000, () -> Healing.chunkFile(c.dataDir(2), orphan) == null);
            // the restarted server's replica of /keep counts again once its report is in
            Healing.await("healthy", 30_000, () -> Healing.exactlyReplicated(client));
            assertEquals(1000, Healing.get(client, "/keep").length);
        }
    }

    static int indexOf(MiniCluster c, String serverId) {
        for (int i = 0; i < c.chunkServerCount(); i++) {
            if (c.chunkServer(i) != null && c.chunkServer(i).serverId().equals(serverId)) {
                return i;
            }
        }
        throw new AssertionError("no chunkserver " + serverId);
    }
}
