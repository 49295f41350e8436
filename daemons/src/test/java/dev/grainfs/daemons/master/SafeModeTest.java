package dev.grainfs.daemons.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safe mode after a restart and by hand: reads served, mutations refused with EAGAIN, no deletions. */
class SafeModeTest {
    @TempDir
    Path dir;

    @Test
    void freshNamespaceStartsOutOfSafeMode() throws Exception {
        try (MiniCluster c = MiniCluster.builder(dir).chunkservers(1).start()) {
            assertFalse(c.master().inSafeMode());
            c.client().mkdir("/a", 0755);
        }
    }

    @Test
    void restartWaitsForReportsAndHoldsDeletionsBack() throws Exception {
        try (MiniCluster c = MiniCluster.builder(dir).master(m -> m.withChunkSize(1 << 20).withReplication(3)
                .withSafeMode(new SafeModeConfig(1.0, 3, 1_000))).healing(h -> h.withTrashRetentionMs(0)).start()) {
            GrainClient client = c.client(cc -> cc.withRetryMs(300));
            write(client, "/keep", 100);
            write(client, "/orphan", 100);
            // cs0 misses the delete of /orphan, so it still holds a replica no file uses
            c.stopChunkServer(0);
            client.delete("/orphan", false);
            c.stopMaster();
            c.stopChunkServer(1);
            c.stopChunkServer(2);
            c.startMaster();
            assertTrue(c.master().inSafeMode());

            try (MetadataAdmin admin = MetadataAdmin.connect(client.config())) {
                MetadataAdmin.SafeModeStatus s = admin.safeModeGet();
                assertTrue(s.on() && !s.manual(), s.line());
                assertEquals(0, s.reportedChunks());
                assertEquals(1, s.totalChunks());
                assertEquals(100, client.stat("/keep").size(), "reads are served in safe mode");
                GrainException e = assertThrows(GrainException.class, () -> client.mkdir("/x", 0755));
                assertEquals(StatusCode.EAGAIN, e.status());
                assertTrue(e.getMessage().contains("safe mode"), e.getMessage());

                c.startChunkServer(0); // reports the orphan: it must survive while the master is in safe mode
                MiniCluster.sleep(2_000);
                assertTrue(c.master().inSafeMode(), "one server of three is not enough");
                assertEquals(2, chunkFiles(c.dataDir(0)), "cs0 keeps its replicas of /keep and /orphan");

                c.startChunkServer(1);
                c.startChunkServer(2);
                waitUntil(() -> !c.master().inSafeMode(), 15_000);
                waitUntil(() -> chunkFiles(c.dataDir(0)) == 1, 10_000); // the orphan goes after safe mode
                client.mkdir("/x", 0755);

                // by hand: stays on until left, whatever the reports say
                assertTrue(admin.safeModeEnter().manual());
                MiniCluster.sleep(1_500);
                GrainException m = assertThrows(GrainException.class, () -> client.mkdir("/y", 0755));
                assertTrue(m.getMessage().contains("safe mode"), m.getMessage());
                assertFalse(admin.safeModeLeave().on());
                client.mkdir("/y", 0755);

                long txid = admin.checkpoint();
                assertTrue(txid > 0);
                assertTrue(Files.exists(dir.resolve("master").resolve(String.format("ckpt-%020d.ckpt", txid))));
            }
        }
    }

    static void write(GrainClient client, String path, int n) throws Exception {
        try (GrainFile f = client.create(path, CreateOptions.defaults())) {
            f.write(0, ByteBuffer.wrap(new byte[n]));
        }
    }

    static long chunkFiles(Path dataDir) {
        try (Stream<Path> s = Files.walk(dataDir)) {
            return s.filter(p -> p.toString().endsWith(".chunk")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier done, long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached in " + ms + " ms");
            }
            MiniCluster.sleep(100);
        }
    }
}
