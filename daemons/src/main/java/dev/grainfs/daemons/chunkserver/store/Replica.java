package dev.grainfs.daemons.chunkserver.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chunk replica on one data dir: version, length and corrupt mark, plus (while open) its file channels and
 * block checksums, all behind one read/write lock.
 *
 * <p>Fields below the lock are read under either lock and changed only under the write lock; the corrupt
 * mark may be set under the read lock (a read that finds a bad block) and never clears.
 */
final class Replica {

    private static final Logger log = LoggerFactory.getLogger(Replica.class);
    static final int NOT_CORRUPT = Integer.MIN_VALUE;

    final long handle;
    final DataDir dir;
    final Path dataPath;
    final Path metaPath;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile long version;
    private volatile long length;
    private volatile int corruptBlock;
    private volatile boolean open;
    private volatile boolean deleted;
    private volatile long lastUsedNanos;
    private FileChannel data;
    private FileChannel meta;
    private BlockChecksums crcs;
    private ChunkMetaFile.Header persisted; // what the sidecar on disk says, as far as this process knows
    private boolean metaDirty;
    private long unpersistedBytes;

    Replica(DataDir dir, long handle, long version, long length, int corruptBlock) {
        this.dir = dir;
        this.handle = handle;
        this.dataPath = dir.dataPath(handle);
        this.metaPath = dir.metaPath(handle);
        this.version = version;
        this.length = length;
        this.corruptBlock = corruptBlock;
        if (corruptBlock == NOT_CORRUPT) {
            this.persisted = new ChunkMetaFile.Header(0, version, length);
        }
    }

    long version() {
        return version;
    }

    long length() {
        return length;
    }

    boolean corrupt() {
        return corruptBlock != NOT_CORRUPT;
    }

    boolean isOpen() {
        return open;
    }

    boolean isDeleted() {
        return deleted;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    void markUsed() {
        lastUsedNanos = System.nanoTime();
    }

    ReplicaInfo info() {
        return new ReplicaInfo(handle, version, length);
    }

    /** Takes the read lock on a sound replica, opening its files first if they are closed. */
    void lockRead() throws IOException {
        lock.readLock().lock();
        if (open && !deleted && corruptBlock == NOT_CORRUPT) {
            return;
        }
        lock.readLock().unlock();
        lock.writeLock().lock();
        try {
            ensureUsable();
            lock.readLock().lock(); // downgrade: held before the write lock is released
        } finally {
            lock.writeLock().unlock();
        }
    }

    void unlockRead() {
        lock.readLock().unlock();
    }

    /** Takes the write lock on a sound replica, opening its files first if they are closed. */
    void lockWrite() throws IOException {
        lock.writeLock().lock();
        try {
            ensureUsable();
        } catch (IOException | RuntimeException e) {
            lock.writeLock().unlock();
            throw e;
        }
    }

    /** Takes the write lock whatever the replica's state (create, delete, close). */
    void lockExclusive() {
        lock.writeLock().lock();
    }

    boolean tryLockExclusive() {
        return lock.writeLock().tryLock();
    }

    void unlockWrite() {
        lock.writeLock().unlock();
    }

    private void ensureUsable() throws IOException {
        if (deleted) {
            throw new ChunkNotFoundException(handle);
        }
        if (corruptBlock != NOT_CORRUPT) {
            throw new ChunkCorruptException(handle, corruptBlock);
        }
        if (!open) {
            openFiles();
        }
    }

    private void openFiles() throws IOException {
        try {
            data = FileChannel.open(dataPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            meta = FileChannel.open(metaPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ChunkMetaFile.Header h = ChunkMetaFile.readHeader(meta, handle);
            if (h.corrupt() || h.version() != version || h.length() != length || data.size() != length) {
                throw new ChunkCorruptException(handle, ChunkCorruptException.SIDECAR,
                        "sidecar " + h + " or data size " + data.size() + " changed behind the store's back");
            }
            crcs = ChunkMetaFile.readChecksums(meta, handle, h);
            persisted = h;
            open = true;
        } catch (ChunkCorruptException e) {
            closeChannels();
            throw markCorrupt(e.blockIndex(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw e;
        }
    }

    /** Makes a new replica's files: empty data file, then the sidecar by temp file and rename; fsyncs both. */
    void createFiles(int preallocBlocks) throws IOException {
        Path sub = dataPath.getParent();
        Path tmp = metaPath.resolveSibling(metaPath.getFileName() + DataDir.TMP_SUFFIX);
        boolean created = false;
        try {
            if (!Files.isDirectory(sub)) {
                Files.createDirectories(sub);
                DataDir.fsyncDir(sub.getParent());
            }
            data = FileChannel.open(dataPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            created = true;
            ChunkMetaFile.create(tmp, persisted, preallocBlocks);
            Files.move(tmp, metaPath, StandardCopyOption.ATOMIC_MOVE);
            DataDir.fsyncDir(sub);
            meta = FileChannel.open(metaPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            crcs = BlockChecksums.empty();
            open = true;
        } catch (IOException | RuntimeException e) {
            closeChannels();
            deleted = true;
            Files.deleteIfExists(tmp);
            if (created) {
                Files.deleteIfExists(metaPath);
                Files.deleteIfExists(dataPath);
            }
            throw e;
        }
    }

    FileChannel data() {
        return data;
    }

    BlockChecksums checksums() {
        return crcs;
    }

    /** Records a new length after a write or truncate (write lock held). */
    void setLength(long newLength) {
        dir.addUsed(newLength - length);
        length = newLength;
        metaDirty = true;
    }

    /** Counts written bytes and persists the CRCs (without forcing) every {@code flushEvery} bytes. */
    void wrote(long bytes, long flushEvery) throws IOException {
        unpersistedBytes += bytes;
        if (unpersistedBytes >= flushEvery) {
            persist(false);
        }
    }

    /** Sets and durably records a new version (write lock held). */
    void setVersion(long newVersion) throws IOException {
        long old = version;
        version = newVersion;
        metaDirty = true;
        try {
            persist(true);
        } catch (IOException e) {
            version = old;
            throw e;
        }
    }

    /** Writes dirty CRCs and header to the sidecar; with {@code force}, data first, then sidecar, to disk. */
    void persist(boolean force) throws IOException {
        if (!open || corruptBlock != NOT_CORRUPT) {
            return;
        }
        if (force) {
            data.force(false);
        }
        if (metaDirty) {
            ChunkMetaFile.Header h = new ChunkMetaFile.Header(0, version, length);
            ChunkMetaFile.write(meta, h, crcs);
            persisted = h;
            metaDirty = false;
            unpersistedBytes = 0;
        }
        if (force) {
            meta.force(false);
        }
    }

    /** Persists the CRCs (forcing data and sidecar if asked) and closes the files; write lock held. */
    void close(boolean force) throws IOException {
        if (open) {
            persist(force);
            closeChannels();
        }
    }

    /** Closes the files without persisting: the sidecar may lag the data, so a reopen marks it corrupt. */
    void abandon() {
        closeChannels();
    }

    /** Deletes the sidecar, then the data file (a leftover data file is an orphan the next scan removes). */
    void delete() throws IOException {
        closeChannels();
        Files.deleteIfExists(metaPath);
        deleted = true;
        dir.addUsed(-length);
        dir.addChunks(-1);
        try {
            Files.deleteIfExists(dataPath);
        } catch (IOException e) {
            log.warn("chunk {}: sidecar deleted but not {}; the next open removes it", hex(), dataPath, e);
        }
    }

    /** Marks the replica corrupt (once, recorded in the sidecar header) and returns the exception to throw. */
    ChunkCorruptException markCorrupt(int block, String detail) {
        synchronized (this) {
            if (corruptBlock == NOT_CORRUPT) {
                corruptBlock = block;
                log.warn("chunk {} on {} is corrupt: {}", hex(), dir, detail);
                ChunkMetaFile.Header h = persisted != null ? persisted.markedCorrupt()
                        : new ChunkMetaFile.Header(ChunkMetaFile.FLAG_CORRUPT, version, 0);
                try (FileChannel ch = FileChannel.open(metaPath, StandardOpenOption.WRITE)) {
                    ChunkMetaFile.writeHeader(ch, h);
                    ch.force(false);
                } catch (IOException e) {
                    log.warn("chunk {}: could not record the corrupt mark in {}", hex(), metaPath, e);
                }
            }
        }
        return new ChunkCorruptException(handle, block, detail);
    }

    /** Gives a disk error the chunk and path it happened on, and types a full disk as such. */
    IOException ioError(String op, IOException e) {
        if (e instanceof ChunkCorruptException || e instanceof ChunkNotFoundException
                || e instanceof ChunkExistsException || e instanceof NoSpaceLeftException) {
            return e;
        }
        String cause = String.valueOf(e.getMessage());
        String message = op + " chunk " + hex() + " at " + dataPath + ": "
                + (e instanceof FileSystemException ? cause : e.getClass().getSimpleName() + " " + cause);
        if (cause.contains("No space left on device") || cause.contains("Disk quota exceeded")) {
            return new NoSpaceLeftException(message, e);
        }
        return new IOException(message, e);
    }

    private void closeChannels() {
        open = false;
        for (FileChannel ch : new FileChannel[] {data, meta}) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    log.warn("chunk {}: closing a file failed", hex(), e);
                }
            }
        }
        data = null;
        meta = null;
        crcs = null;
    }

    String hex() {
        return String.format("%016x", handle);
    }
}
