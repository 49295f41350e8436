package dev.grainfs.daemons.chunkserver.store;

import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.direct;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.randomBytes;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.read;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers on different chunks plus readers of those same chunks, with fewer open slots than chunks so
 * replicas are closed and reopened underneath: no false corruption, and every read is a prefix of the truth.
 */
class ChunkStoreConcurrencyTest {

    private static final int WRITERS = 4;
    private static final int CHUNKS_PER_WRITER = 3;
    private static final int CHUNK_BYTES = 600 * 1024;

    @Test
    void concurrentWritersOnDifferentChunksAndReadersEverywhere(@TempDir Path a, @TempDir Path b) throws Exception {
        ChunkStoreOptions options = ChunkStoreOptions.defaults().withMaxOpenReplicas(3).withMetaFlushBytes(256 * 1024);
        int chunks = WRITERS * CHUNKS_PER_WRITER;
        byte[][] truth = new byte[chunks][];
        for (int c = 0; c < chunks; c++) {
            truth[c] = randomBytes(new Random(c), CHUNK_BYTES);
        }
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        try (ChunkStore store = ChunkStore.open(List.of(a, b), options)) {
            for (int c = 0; c < chunks; c++) {
                store.create(c, 1);
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int first = w * CHUNKS_PER_WRITER;
                writers.add(pool.submit(() -> {
                    Random random = new Random(first);
                    int[] written = new int[CHUNKS_PER_WRITER];
                    while (Arrays.stream(written).anyMatch(n -> n < CHUNK_BYTES)) {
                        int k = random.nextInt(CHUNKS_PER_WRITER);
                        int n = Math.min(CHUNK_BYTES - written[k], 1 + random.nextInt(70_000));
                        store.write(first + k, written[k], direct(truth[first + k], written[k], written[k] + n));
                        written[k] += n;
                        if (random.nextInt(20) == 0) {
                            store.sync(first + k);
                        }
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int rd = 0; rd < 2; rd++) {
                int seed = 100 + rd;
                readers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    int reads = 0;
                    while (writing.get()) {
                        int c = random.nextInt(chunks);
                        int from = random.nextInt(CHUNK_BYTES);
                        byte[] got = read(store, c, from, 1 + random.nextInt(200_000));
                        assertArrayEquals(Arrays.copyOfRange(truth[c], from, from + got.length), got);
                        reads++;
                    }
                    return reads;
                }));
            }
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<Integer> f : readers) {
                assertTrue(f.get(60, TimeUnit.SECONDS) > 0);
            }
            assertTrue(store.corruptChunks().isEmpty());
            for (int c = 0; c < chunks; c++) {
                assertArrayEquals(truth[c], readAll(store, c));
                store.verify(c);
            }
            assertEquals((long) chunks * CHUNK_BYTES, store.usedBytes());
        } finally {
            pool.shutdownNow();
        }
        try (ChunkStore reopened = ChunkStore.open(List.of(a, b), options)) {
            assertTrue(reopened.corruptChunks().isEmpty());
            assertEquals(chunks, reopened.report().size());
        }
    }
}
