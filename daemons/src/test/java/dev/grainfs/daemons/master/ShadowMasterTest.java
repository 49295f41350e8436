package dev.grainfs.daemons.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.DirEntry;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shadow master on real sockets and real meta dirs: synchronous log shipping (an answered change
 * is on the shadow already), read-only serving, a shadow that falls away and comes back, and a
 * shadow that starts from a snapshot.
 */
class ShadowMasterTest {
    @TempDir
    Path dir;

    private ShadowMaster shadow(MiniCluster c, String name) throws Exception {
        MasterConfig mc = MasterConfig.defaults(dir.resolve(name)).withPort(0);
        ShadowMaster s = ShadowMaster.open(mc, c.masterAddress(), WireSecurity.NONE, Exports.OPEN);
        s.start();
        return s;
    }

    private static void waitSynchronous(Master m) {
        waitUntil(() -> m.shadow() != null && m.shadow().synchronous(), 20_000);
    }

    @Test
    void everyAnsweredChangeIsAlreadyOnTheShadowWhichServesReadsOnly() throws Exception {
        try (MiniCluster c = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1)).start();
             ShadowMaster s = shadow(c, "shadow")) {
            GrainClient client = c.client();
            client.mkdir("/before", 0755);
            waitSynchronous(c.master());
            try (GrainClient reader = GrainClient.connect(s.address())) {
                for (int i = 0; i < 50; i++) {
                    client.mkdir("/d" + i, 0755);
                    client.rename("/d" + i, "/e" + i);
                    // answered by the master: the shadow must have it now, without waiting
                    assertTrue(reader.exists("/e" + i), "rename " + i + " answered but not on the shadow");
                    assertFalse(reader.exists("/d" + i));
                }
                try (GrainFile f = client.create("/file", CreateOptions.defaults())) {
                    f.write(0, ByteBuffer.wrap(new byte[1000]));
                }
                assertEquals(1000, reader.stat("/file").size());
                assertEquals(client.list("/").size(), reader.list("/").size());
                assertEquals((long) c.master().read(m -> m.lastTxid()), s.appliedTxid());

                GrainException e = assertThrows(GrainException.class, () -> reader.mkdir("/nope", 0755));
                assertEquals(StatusCode.ENOTACTIVE, e.status());
                assertTrue(e.getMessage().contains(c.masterAddress().toString()), e.getMessage());
                assertFalse(client.exists("/nope"));
                assertTrue(c.master().shadow().lagOps() == 0, "lag " + c.master().shadow().lagOps());
            }
        }
    }

    @Test
    void masterGoesOnAloneAfterTheTimeoutAndTheShadowCatchesUpWhenBack() throws Exception {
        try (MiniCluster c = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1)).start()) {
            c.master().withShadowTimeoutMs(1_000);
            GrainClient client = c.client();
            ShadowMaster s = shadow(c, "shadow");
            waitSynchronous(c.master());
            client.mkdir("/a", 0755);
            s.close(); // falls away: the next change waits for it at most the timeout
            client.mkdir("/b", 0755);
            assertFalse(c.master().shadow().synchronous());
            for (int i = 0; i < 20; i++) {
                client.mkdir("/alone" + i, 0755); // no wait now
            }
            try (ShadowMaster back = shadow(c, "shadow")) { // same meta dir: continues from its own log
                assertTrue(back.appliedTxid() >= 1, "recovered its own log");
                waitSynchronous(c.master());
                try (GrainClient reader = GrainClient.connect(back.address())) {
                    for (int i = 0; i < 20; i++) {
                        assertTrue(reader.exists("/alone" + i));
                    }
                    client.mkdir("/after", 0755);
                    assertTrue(reader.exists("/after"), "synchronous again");
                    assertEquals(names(client.list("/")), names(reader.list("/")));
                }
            }
        }
    }

    @Test
    void aShadowTheMasterCannotFeedFromMemoryStartsFromASnapshot() throws Exception {
        try (MiniCluster c = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1)).start()) {
            GrainClient client = c.client(cc -> cc.withRetryMs(10_000));
            for (int i = 0; i < 30; i++) {
                client.mkdir("/old" + i, 0755);
            }
            c.stopMaster(); // a restarted master keeps no ops in memory
            c.startMaster();
            client.mkdir("/new", 0755);
            try (ShadowMaster s = shadow(c, "fresh")) {
                waitSynchronous(c.master());
                client.mkdir("/newer", 0755);
                try (GrainClient reader = GrainClient.connect(s.address())) {
                    assertEquals(names(client.list("/")), names(reader.list("/")));
                }
                long txid = s.checkpoint();
                assertEquals(s.appliedTxid(), txid);
            }
            // the shadow's meta dir recovers like a master's: checkpoint + log
            try (ShadowMaster again = ShadowMaster.open(MasterConfig.defaults(dir.resolve("fresh")).withPort(0),
                    c.masterAddress(), WireSecurity.NONE, Exports.OPEN)) {
                assertEquals((long) c.master().read(m -> m.lastTxid()), again.appliedTxid());
            }
        }
    }

    @Test
    void theShadowsTreeEqualsTheMastersAfterRandomDirectoryChanges() throws Exception {
        try (MiniCluster c = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1))
                .healing(h -> h.withTrashRetentionMs(0)).start();
             ShadowMaster s = shadow(c, "shadow")) {
            GrainClient client = c.client();
            waitSynchronous(c.master());
            java.util.Random rnd = new java.util.Random(42);
            java.util.List<String> dirs = new java.util.ArrayList<>(List.of("/r"));
            client.mkdir("/r", 0755);
            for (int i = 0; i < 300; i++) {
                String parent = dirs.get(rnd.nextInt(dirs.size()));
                int pick = rnd.nextInt(10);
                try {
                    if (pick < 5) {
                        client.mkdir(parent + "/d" + i, 0755);
                        dirs.add(parent + "/d" + i);
                    } else if (pick < 8 && dirs.size() > 2) {
                        String src = dirs.get(1 + rnd.nextInt(dirs.size() - 1));
                        client.rename(src, parent + "/m" + i);
                        dirs.removeIf(d -> d.equals(src) || d.startsWith(src + "/"));
                        dirs.add(parent + "/m" + i);
                    } else if (dirs.size() > 2) {
                        String victim = dirs.get(1 + rnd.nextInt(dirs.size() - 1));
                        client.delete(victim, true);
                        dirs.removeIf(d -> d.equals(victim) || d.startsWith(victim + "/"));
                    }
                } catch (GrainException e) {
                    // a rename into its own subtree and the like: refused by both alike
                }
            }
            try (GrainClient reader = GrainClient.connect(s.address())) {
                assertEquals(tree(client, "/r"), tree(reader, "/r"));
            }
        }
    }

    private static List<String> tree(GrainClient c, String dir) throws GrainException {
        List<String> out = new java.util.ArrayList<>();
        for (DirEntry e : c.list(dir)) {
            out.add(dir + "/" + e.name());
            if (e.stat().isDir()) {
                out.addAll(tree(c, dir + "/" + e.name()));
            }
        }
        return out;
    }

    private static List<String> names(List<DirEntry> entries) {
        return entries.stream().map(DirEntry::name).sorted().toList();
    }

    static void waitUntil(BooleanSupplier done, long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached in " + ms + " ms");
            }
            MiniCluster.sleep(50);
        }
    }
}
