package dev.grainfs.daemons.chunkserver.store;

import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.BLOCK;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.direct;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.find;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.flipByte;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.name;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.randomBytes;
import static dev.grainfs.daemons.chunkserver.store.ChunkTestFiles.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage on disk is caught: flipped data or sidecar bytes, cut files, unsynced crashes; never served again. */
class ChunkStoreCorruptionTest {

    private static final long H = 0xabcL;

    @TempDir
    Path dir;
    private ChunkStore store;
    private byte[] data;

    @BeforeEach
    void writeOneChunk() throws IOException {
        store = ChunkStore.open(List.of(dir), ChunkStoreOptions.defaults());
        data = randomBytes(new Random(7), 4 * BLOCK + 1234);
        store.create(H, 3);
        store.write(H, 0, direct(data));
        store.sync(H);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private Path chunkFile() throws IOException {
        return find(dir, name(H, ".chunk"));
    }

    private Path metaFile() throws IOException {
        return find(dir, name(H, ".meta"));
    }

    private void reopen() throws IOException {
        store.close();
        store = ChunkStore.open(List.of(dir), ChunkStoreOptions.defaults());
    }

    @Test
    void aFlippedDataByteFailsTheReadOfItsBlockAndTheChunkIsNeverServedAgain() throws IOException {
        flipByte(chunkFile(), 2L * BLOCK + 99);
        assertArrayEquals(Arrays.copyOf(data, BLOCK), read(store, H, 0, BLOCK), "other blocks still read");
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> read(store, H, 2L * BLOCK + 10, 5));
        assertEquals(H, e.handle());
        assertEquals(2, e.blockIndex());
        assertEquals(List.of(H), store.corruptChunks());
        assertTrue(store.report().isEmpty(), "a corrupt replica is not in the chunk report");
        assertThrows(ChunkCorruptException.class, () -> read(store, H, 0, 10));
        assertThrows(ChunkCorruptException.class, () -> store.write(H, 0, direct(new byte[1])));

        reopen();
        assertEquals(List.of(H), store.corruptChunks(), "the corrupt mark survives a restart");
        store.delete(H);
        assertTrue(store.corruptChunks().isEmpty());
        assertFalse(store.contains(H));
    }

    @Test
    void aWholeBlockReadIntoTheCallersBufferIsCheckedToo() throws IOException {
        flipByte(chunkFile(), 3L * BLOCK);
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> read(store, H, 0, 4 * BLOCK));
        assertEquals(3, e.blockIndex());
    }

    @Test
    void verifyFindsDamageInTheLastPartialBlock() throws IOException {
        store.verify(H);
        flipByte(chunkFile(), data.length - 1);
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> store.verify(H));
        assertEquals(4, e.blockIndex());
        assertEquals(List.of(H), store.corruptChunks());
    }

    @Test
    void aPartialWriteDoesNotRecertifyDamagedOldBytes() throws IOException {
        flipByte(chunkFile(), 10);
        assertThrows(ChunkCorruptException.class, () -> store.write(H, 100, direct(new byte[] {1, 2, 3})));
        assertEquals(List.of(H), store.corruptChunks());
    }

    @Test
    void aFlippedCrcInTheSidecarIsDetected() throws IOException {
        store.close();
        flipByte(metaFile(), ChunkMetaFile.HEADER_SIZE + 4 + 2); // block 1's CRC
        store = ChunkStore.open(List.of(dir), ChunkStoreOptions.defaults());
        assertArrayEquals(Arrays.copyOf(data, 100), read(store, H, 0, 100));
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> read(store, H, BLOCK, 100));
        assertEquals(1, e.blockIndex());
    }

    @Test
    void aFlippedVersionInTheSidecarHeaderIsDetectedAtOpen() throws IOException {
        store.close();
        flipByte(metaFile(), 16 + 7); // low byte of the chunk version
        store = ChunkStore.open(List.of(dir), ChunkStoreOptions.defaults());
        assertEquals(List.of(H), store.corruptChunks());
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> read(store, H, 0, 1));
        assertEquals(ChunkCorruptException.SIDECAR, e.blockIndex());
    }

    @Test
    void aDataFileCutBehindTheStoresBackIsDetected() throws IOException {
        store.close();
        try (FileChannel ch = FileChannel.open(chunkFile(), StandardOpenOption.WRITE)) {
            ch.truncate(BLOCK);
        }
        store = ChunkStore.open(List.of(dir), ChunkStoreOptions.defaults());
        assertEquals(List.of(H), store.corruptChunks());
    }

    /** A crash after unsynced writes: the data on disk is newer than the sidecar, so the copy reads as corrupt. */
    @Test
    void unsyncedWritesAtACrashMakeTheReplicaCorruptNotWrong(@TempDir Path crashed) throws IOException {
        store.write(H, data.length, direct(new byte[1000]));  // appended, sidecar not yet updated
        store.write(H, 5, direct(new byte[] {9, 9, 9}));      // overwrite inside block 0
        copyTree(dir, crashed);                               // what the disk holds if the process dies now
        try (ChunkStore after = ChunkStore.open(List.of(crashed), ChunkStoreOptions.defaults())) {
            assertEquals(List.of(H), after.corruptChunks());
        }
        store.sync(H);
        copyTree(dir, crashed);
        try (ChunkStore after = ChunkStore.open(List.of(crashed), ChunkStoreOptions.defaults())) {
            assertTrue(after.corruptChunks().isEmpty());
            assertEquals(data.length + 1000, after.length(H));
            assertArrayEquals(new byte[] {9, 9, 9}, read(after, H, 5, 3));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        for (Path f : ChunkTestFiles.files(from)) {
            if (f.getFileName().toString().equals("in_use.lock")) {
                continue;
            }
            Path target = to.resolve(from.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
