package dev.grainfs.daemons.chunkserver.store;

import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.BLOCK;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.KIB;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.direct;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.find;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.name;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.randomBytes;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.read;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write/read round trips at aligned and unaligned offsets, holes, overwrites, and a random-op model check. */
class ChunkStoreReadWriteTest {

    private static final long MAX = 1 << 20;

    @TempDir
    Path dir;
    private ChunkStore store;
    private final Random random = new Random(42);

    @BeforeEach
    void open() throws IOException {
        store = ChunkStore.open(List.of(dir), ChunkStoreOptions.defaults().withMaxChunkSize(MAX));
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    @Test
    void alignedWritesReadBackAndMatchTheFileOnDisk() throws IOException {
        store.create(1, 7);
        byte[] data = randomBytes(random, 4 * BLOCK + 100);
        for (int off = 0; off < data.length; off += 2 * BLOCK) {
            ByteBuffer src = direct(data, off, Math.min(data.length, off + 2 * BLOCK));
            store.write(1, off, src);
            assertEquals(0, src.remaining(), "write consumes the buffer");
        }
        assertEquals(data.length, store.length(1));
        assertArrayEquals(data, readAll(store, 1));
        assertArrayEquals(Arrays.copyOfRange(data, BLOCK, 3 * BLOCK), read(store, 1, BLOCK, 2 * BLOCK));
        assertArrayEquals(data, Files.readAllBytes(find(dir, name(1, ".chunk"))), "chunk file is the bytes");
    }

    @Test
    void oneByteWritesAcrossABlockBoundary() throws IOException {
        store.create(2, 1);
        byte[] data = randomBytes(random, BLOCK + 10);
        store.write(2, 0, direct(data, 0, BLOCK - 5));
        for (int i = BLOCK - 5; i < data.length; i++) {
            store.write(2, i, direct(data, i, i + 1));
        }
        assertArrayEquals(data, readAll(store, 2));
        assertArrayEquals(Arrays.copyOfRange(data, BLOCK - 3, BLOCK + 3), read(store, 2, BLOCK - 3, 6));
        store.verify(2);
    }

    @Test
    void unalignedWriteSpanningBlocksAndOverwriteInTheMiddle() throws IOException {
        store.create(3, 1);
        byte[] model = randomBytes(random, 5 * BLOCK);
        store.write(3, 0, direct(model));
        byte[] patch = randomBytes(random, 2 * BLOCK + 777);
        int at = BLOCK + 12_345;
        store.write(3, at, direct(patch));
        System.arraycopy(patch, 0, model, at, patch.length);
        assertArrayEquals(model, readAll(store, 3));
        assertEquals(5 * BLOCK, store.length(3), "an overwrite does not change the length");
        assertArrayEquals(Arrays.copyOfRange(model, at - 1, at + 5), read(store, 3, at - 1, 6));
        store.verify(3);
    }

    @Test
    void writePastTheEndLeavesAHoleOfZeros() throws IOException {
        store.create(4, 1);
        byte[] head = randomBytes(random, 1000);
        byte[] tail = randomBytes(random, 3000);
        long tailAt = 3L * BLOCK + 500;
        store.write(4, 0, direct(head));
        store.write(4, tailAt, direct(tail));
        byte[] expected = new byte[(int) tailAt + tail.length];
        System.arraycopy(head, 0, expected, 0, head.length);
        System.arraycopy(tail, 0, expected, (int) tailAt, tail.length);
        assertEquals(expected.length, store.length(4));
        assertArrayEquals(expected, readAll(store, 4));
        assertArrayEquals(new byte[BLOCK], read(store, 4, BLOCK, BLOCK), "whole hole block reads as zeros");
        store.verify(4);
    }

    @Test
    void readsAreCutAtTheReplicaEnd() throws IOException {
        store.create(5, 1);
        byte[] data = randomBytes(random, 100);
        store.write(5, 0, direct(data));
        ByteBuffer dst = ByteBuffer.allocateDirect(500);
        assertEquals(40, store.read(5, 60, 500, dst));
        assertEquals(40, dst.position());
        assertEquals(0, store.read(5, 100, 10, dst));
        assertEquals(0, store.read(5, 5000, 10, dst));
        assertThrows(IllegalArgumentException.class, () -> store.read(5, 0, 10, ByteBuffer.allocateDirect(5)));
    }

    @Test
    void writesBeyondTheMaximumChunkSizeAreRefusedAndChangeNothing() throws IOException {
        store.create(6, 1);
        assertThrows(IllegalArgumentException.class, () -> store.write(6, MAX - 10, direct(new byte[11])));
        assertThrows(IllegalArgumentException.class, () -> store.write(6, -1, direct(new byte[1])));
        assertThrows(IllegalArgumentException.class, () -> store.truncate(6, MAX + 1));
        assertEquals(0, store.length(6));
        store.write(6, MAX - 10, direct(new byte[10]));
        assertEquals(MAX, store.length(6));
        assertThrows(ChunkNotFoundException.class, () -> store.write(99, 0, direct(new byte[1])));
    }

    @Test
    void heapBuffersWorkToo() throws IOException {
        store.create(7, 1);
        byte[] data = randomBytes(random, BLOCK + 3);
        store.write(7, 0, ByteBuffer.wrap(data));
        ByteBuffer dst = ByteBuffer.allocate(data.length);
        store.read(7, 0, data.length, dst);
        assertArrayEquals(data, dst.array());
    }

    /** Random writes, truncates and pads against a byte[] model, with reopen and verify along the way. */
    @Test
    void randomOperationsMatchAModel() throws IOException {
        store.create(8, 1);
        byte[] model = new byte[(int) MAX];
        int length = 0;
        for (int op = 0; op < 400; op++) {
            int kind = random.nextInt(10);
            if (kind < 7) {
                int off = random.nextInt(random.nextBoolean() ? Math.max(1, length + 1) : (int) MAX);
                int n = Math.min((int) MAX - off, random.nextInt(random.nextBoolean() ? 200 : 3 * BLOCK));
                byte[] data = randomBytes(random, n);
                store.write(8, off, direct(data));
                System.arraycopy(data, 0, model, off, n);
                length = Math.max(length, off + n);
            } else if (kind < 9) {
                int newLength = random.nextInt((int) MAX / 2);
                if (kind == 8 && newLength >= length) {
                    store.padTo(8, newLength);
                } else {
                    store.truncate(8, newLength);
                }
                if (newLength < length) {
                    Arrays.fill(model, newLength, length, (byte) 0);
                }
                length = newLength;
            } else {
                store.close();
                store = ChunkStore.open(List.of(dir), ChunkStoreOptions.defaults().withMaxChunkSize(MAX));
            }
            assertEquals(length, store.length(8));
            int from = length == 0 ? 0 : random.nextInt(length);
            int n = random.nextInt(Math.max(1, length - from) + 10);
            byte[] expected = Arrays.copyOfRange(model, from, Math.min(length, from + n));
            assertArrayEquals(expected, read(store, 8, from, n), "op " + op);
        }
        assertArrayEquals(Arrays.copyOf(model, length), readAll(store, 8));
        store.verify(8);
    }
}
