package dev.grainfs.daemons.chunkserver.store;

import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.BLOCK;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.direct;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.files;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.find;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.name;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.randomBytes;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.read;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Create/delete, versions, reopen and index rebuild, several data dirs, leftovers, truncate and pad, usage. */
class ChunkStoreLifecycleTest {

    @TempDir
    Path a;
    @TempDir
    Path b;
    private final Random random = new Random(3);

    private ChunkStore open(Path... dirs) throws IOException {
        return ChunkStore.open(List.of(dirs), ChunkStoreOptions.defaults());
    }

    @Test
    void createDeleteAndTheirErrors() throws IOException {
        try (ChunkStore store = open(a)) {
            store.create(1, 5);
            assertThrows(ChunkExistsException.class, () -> store.create(1, 6));
            assertTrue(store.contains(1));
            assertEquals(5, store.version(1));
            assertEquals(0, store.length(1));
            store.delete(1);
            assertFalse(store.contains(1));
            assertThrows(ChunkNotFoundException.class, () -> store.delete(1));
            assertThrows(ChunkNotFoundException.class, () -> store.version(1));
            assertTrue(files(a).stream().noneMatch(p -> p.toString().endsWith(".chunk")));
            store.create(1, 9);
            assertEquals(9, store.version(1));
        }
    }

    @Test
    void reopenRebuildsTheIndexWithVersionsAndLengths() throws IOException {
        List<ReplicaInfo> before;
        try (ChunkStore store = open(a, b)) {
            for (long h = 1; h <= 20; h++) {
                store.create(h * 0x1_0000_0001L, h + 100);
                store.write(h * 0x1_0000_0001L, 0, direct(randomBytes(random, (int) h * 10_000)));
            }
            store.setVersion(0x1_0000_0001L, 777);
            before = store.report();
        }
        try (ChunkStore store = open(a, b)) {
            assertEquals(before, store.report());
            assertEquals(777, store.version(0x1_0000_0001L));
            assertEquals(20, store.report().size());
            assertEquals(before.stream().mapToLong(ReplicaInfo::length).sum(), store.usedBytes());
        }
    }

    @Test
    void newChunksAreSpreadOverDataDirs() throws IOException {
        try (ChunkStore store = open(a, b)) {
            for (long h = 1; h <= 6; h++) {
                store.create(h, 1);
                store.write(h, 0, direct(new byte[BLOCK]));
            }
        }
        long onA = files(a).stream().filter(p -> p.toString().endsWith(".chunk")).count();
        long onB = files(b).stream().filter(p -> p.toString().endsWith(".chunk")).count();
        assertEquals(6, onA + onB);
        assertTrue(onA > 0 && onB > 0, "both dirs used: " + onA + " / " + onB);
        assertTrue(Files.exists(a.resolve("VERSION")) && Files.exists(b.resolve("VERSION")));
    }

    @Test
    void setVersionIsOnDiskWhenItReturns(@TempDir Path copy) throws IOException {
        try (ChunkStore store = open(a)) {
            store.create(42, 1);
            store.setVersion(42, 2);
            assertEquals(2, store.version(42));
            Path meta = find(a, name(42, ".meta"));
            Files.createDirectories(copy.resolve(a.relativize(meta.getParent())));
            Files.copy(meta, copy.resolve(a.relativize(meta)));
            Files.copy(find(a, name(42, ".chunk")), copy.resolve(a.relativize(find(a, name(42, ".chunk")))));
            Files.copy(a.resolve("VERSION"), copy.resolve("VERSION"));
        }
        try (ChunkStore crashed = open(copy)) {
            assertEquals(2, crashed.version(42), "taken before close: the store had not been shut down");
        }
    }

    @Test
    void leftoversAreCleanedAtOpenAndADirCannotBeOpenedTwice() throws IOException {
        try (ChunkStore store = open(a)) {
            store.create(0x10, 1);
            assertThrows(IOException.class, () -> open(a));
        }
        Path sub = find(a, name(0x10, ".chunk")).getParent();
        Files.write(sub.resolve(name(0x10, ".meta.tmp")), new byte[3]);
        Files.write(sub.resolve(name(0x110, ".chunk")), new byte[3]); // data file without sidecar
        Files.write(sub.resolve("notes.txt"), new byte[3]);
        try (ChunkStore store = open(a)) {
            assertEquals(List.of(new ReplicaInfo(0x10, 1, 0)), store.report());
        }
        assertFalse(Files.exists(sub.resolve(name(0x10, ".meta.tmp"))));
        assertFalse(Files.exists(sub.resolve(name(0x110, ".chunk"))));
        assertTrue(Files.exists(sub.resolve("notes.txt")), "foreign files are left alone");
    }

    @Test
    void truncateShrinksAndExtendsAndPadAppendsZeros() throws IOException {
        try (ChunkStore store = open(a)) {
            byte[] data = randomBytes(random, 3 * BLOCK);
            store.create(5, 1);
            store.write(5, 0, direct(data));
            store.truncate(5, BLOCK + 10);
            assertArrayEquals(Arrays.copyOf(data, BLOCK + 10), readAll(store, 5));
            store.truncate(5, 2 * BLOCK + 20);
            assertArrayEquals(Arrays.copyOf(data, BLOCK + 10),
                    Arrays.copyOf(readAll(store, 5), BLOCK + 10));
            assertArrayEquals(new byte[BLOCK + 10], read(store, 5, BLOCK + 10, BLOCK + 10), "extended with zeros");
            store.padTo(5, 4 * BLOCK);
            assertEquals(4 * BLOCK, store.length(5));
            assertArrayEquals(new byte[2 * BLOCK], read(store, 5, 2 * BLOCK, 2 * BLOCK));
            assertThrows(IllegalArgumentException.class, () -> store.padTo(5, BLOCK));
            store.truncate(5, 0);
            assertEquals(0, store.length(5));
            store.verify(5);
            assertEquals(0, Files.size(find(a, name(5, ".chunk"))));
        }
    }

    @Test
    void diskUsage() throws IOException {
        try (ChunkStore store = open(a, b)) {
            store.create(1, 1);
            store.write(1, 0, direct(new byte[1000]));
            store.create(2, 1);
            store.write(2, BLOCK, direct(new byte[10]));
            assertEquals(1000 + BLOCK + 10, store.usedBytes());
            assertTrue(store.capacityBytes() > 0);
            assertTrue(store.freeBytes() > 0 && store.freeBytes() <= store.capacityBytes());
            store.delete(2);
            assertEquals(1000, store.usedBytes());
        }
    }
}
