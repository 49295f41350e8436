package dev.grainfs.daemons.healing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.core.wire.proto.ChunkLocation;
import dev.grainfs.core.wire.proto.FsckChunk;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decommission: the server's replicas are copied away (keeping two racks), it ends DECOMMISSIONED, restarts keep it. */
class DecommissionTest {
    static final long CHUNK = 256 << 10;
    @TempDir
    Path dir;

    /** Servers cs0, cs2, cs4 on rack /r1, cs1, cs3 on /r2. */
    static MiniCluster.Builder cluster(Path dir, int servers) {
        return MiniCluster.builder(dir).chunkservers(servers)
                .chunkserver(c -> c.withRack(rackOf(c.dataDirs().get(0))))
                .master(m -> m.withChunkSize(CHUNK).withDeadAfterMs(3_000).withLeaseMs(5_000))
                .healing(h -> h.withScanIntervalMs(200).withCopyTimeoutMs(10_000));
    }

    static String rackOf(Path dataDir) {
        int i = Integer.parseInt(dataDir.getFileName().toString().substring(2));
        return i % 2 == 0 ? "/r1" : "/r2";
    }

    @Test
    void decommissionedServerCanBeSwitchedOffAndTheStateSurvivesMasterRestarts() throws Exception {
        try (MiniCluster c = cluster(dir, 5).start(); MetadataAdmin admin = ClusterAdmin.admin(c)) {
            GrainClient client = c.client();
            Map<String, byte[]> files = Healing.writeFiles(client, 130, CHUNK, 7);
            int chunks = ClusterAdmin.chunks(c).size();
            String victim = c.chunkServer(1).serverId(); // the rack /r2 server besides cs3
            long held = ClusterAdmin.server(c, victim).chunks();
            assertTrue(held >= 100, chunks + " chunks, " + held + " on the victim");

            assertEquals("DECOMMISSIONING", admin.decommission(victim, false).getState());
            Healing.put(client, "/new", new byte[(int) CHUNK * 2]);
            for (ChunkLocation l : client.locations("/new")) {
                assertTrue(l.getReplicasList().stream().noneMatch(a -> a.getServerId().equals(victim)),
                        "a new replica went to the decommissioning server");
            }
            long t = Healing.await("DECOMMISSIONED", 90_000,
                    () -> state(admin, victim).equals("DECOMMISSIONED"));
            System.out.printf("decommission: %d of %d chunks copied off %s in %d ms%n", held, chunks, victim, t);
            assertFullyReplicatedElsewhere(c);

            c.stopMaster(); // the log replays the decommission
            c.startMaster();
            c.waitForServers(5);
            Healing.await("DECOMMISSIONED after a restart", 30_000,
                    () -> ClusterAdmin.server(c, victim).state().equals("DECOMMISSIONED"));
            c.master().checkpoint(); // now the checkpoint carries it
            c.stopMaster();
            c.startMaster();
            c.waitForServers(5);
            Healing.await("DECOMMISSIONED after a restart from a checkpoint", 30_000,
                    () -> ClusterAdmin.server(c, victim).state().equals("DECOMMISSIONED"));

            c.stopChunkServer(1);
            for (var e : files.entrySet()) {
                assertArrayEquals(e.getValue(), Healing.get(client, e.getKey()), e.getKey());
            }
            assertTrue(Healing.fsck(client).getHealthy());
            Healing.await("the switched-off server declared dead", 10_000, () -> c.master().liveServers() == 4);
            assertEquals("DECOMMISSIONED", ClusterAdmin.server(c, victim).state());
            assertTrue(Healing.fsck(client).getHealthy());
        }
    }

    @Test
    void cancelReturnsTheServerToServiceAndBadRequestsChangeNothing() throws Exception {
        try (MiniCluster c = cluster(dir, 4).healing(h -> h.withScanIntervalMs(200).withTrashRetentionMs(0)).start();
             MetadataAdmin admin = ClusterAdmin.admin(c)) {
            GrainClient client = c.client();
            Healing.writeFiles(client, 20, CHUNK, 8);
            String victim = c.chunkServer(2).serverId();
            GrainException unknown = assertThrows(GrainException.class, () -> admin.decommission("no-such-server", false));
            assertEquals(StatusCode.ENOENT, unknown.status());
            GrainException notDecom = assertThrows(GrainException.class, () -> admin.decommission(victim, true));
            assertEquals(StatusCode.EINVAL, notDecom.status());
            assertTrue(ClusterAdmin.servers(c).stream().allMatch(s -> s.state().equals("LIVE")));

            String address = c.chunkServer(2).address().toString();
            assertEquals(victim, admin.decommission(address, false).getServerId()); // by host:port
            Healing.await("DECOMMISSIONED", 60_000, () -> state(admin, victim).equals("DECOMMISSIONED"));
            assertEquals("LIVE", admin.decommission(victim, true).getState());
            // back in service: its replicas count again, so the extras elsewhere go
            Healing.await("no over-replicated chunk", 30_000, () -> Healing.exactlyReplicated(client));
            assertFullyReplicatedElsewhere(c);
            assertTrue(ClusterAdmin.server(c, victim).chunks() > 0);
        }
    }

    static String state(MetadataAdmin admin, String id) {
        try {
            return admin.decommission(id, false).getState();
        } catch (GrainException e) {
            throw new AssertionError(e);
        }
    }

    /** Every chunk has its full replication on servers in service, spread over both racks. */
    static void assertFullyReplicatedElsewhere(MiniCluster c) throws Exception {
        for (var f : Healing.fsckChunks(c.client()).getFileListList()) {
            for (FsckChunk ch : f.getChunksList()) {
                assertEquals(3, ch.getLive(), f.getPath() + " " + f.getSize() + ": " + ch);
                assertTrue(ch.getProblem().isEmpty(), f.getPath() + ": " + ch);
            }
        }
        assertTrue(Healing.fsck(c.client()).getHealthy());
    }
}
