package dev.grainfs.daemons.chunkserver.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chunkserver's chunk replicas on its local data dirs: create, positional write, verified read, truncate,
 * versions, sync, scrub and disk usage.
 *
 * <p><b>Threading.</b> Every method may be called from any thread. Operations on different chunks run in
 * parallel; on one chunk, reads run in parallel with each other and wait for mutations (write, truncate,
 * padTo, setVersion, sync, delete). Mutations of one chunk never interleave, but their <em>order</em> is the
 * caller's: the network layer applies one chunk's mutations one at a time, in the primary's serial order.
 * Calls block on disk I/O; run them off the Netty event loop if that matters.
 *
 * <p><b>Durability.</b> create and setVersion are on disk when they return; writes, truncates and pads after
 * {@link #sync}. delete is not forced: after a power cut a deleted replica may reappear in the report and the
 * master's garbage collection deletes it again. Between syncs the CRCs live in memory and reach the sidecar
 * (unforced) every {@code metaFlushBytes} written, when the replica is closed to bound open files, and at
 * close(). After a crash, a replica whose data and sidecar disagree (length, or a block's CRC) is reported
 * corrupt and gets re-replicated: unsynced writes can cost the replica, but bytes that fail their CRC are never
 * returned as good.
 *
 * <p><b>Errors.</b> {@link ChunkNotFoundException} (ENOENT), {@link ChunkExistsException} (EEXIST),
 * {@link ChunkCorruptException} (EIO; the replica is then listed by {@link #corruptChunks} and refuses every
 * operation but delete), {@link NoSpaceLeftException} (ENOSPC), IllegalArgumentException for a range outside
 * the chunk (EINVAL), any other IOException names the chunk and file (EIO). A failed mutation leaves the
 * replica's length and CRCs as they were; if it overwrote bytes below the old length before failing, those
 * blocks then fail their CRC and the replica reads as corrupt.
 */
public final class ChunkStore implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ChunkStore.class);

    private interface ReplicaOp<T> {
        T apply(Replica r) throws IOException;
    }

    private final DataDirs dirs;
    private final ChunkStoreOptions options;
    private final ConcurrentHashMap<Long, Replica> replicas = new ConcurrentHashMap<>();
    private final OpenReplicas openReplicas;
    private volatile boolean closed;

    private ChunkStore(DataDirs dirs, ChunkStoreOptions options) {
        this.dirs = dirs;
        this.options = options;
        this.openReplicas = new OpenReplicas(options.maxOpenReplicas());
    }

    /** Locks and scans the data dirs (formatting new ones) and indexes every replica found on them. */
    public static ChunkStore open(List<Path> dataDirs, ChunkStoreOptions options) throws IOException {
        DataDirs dirs = DataDirs.open(dataDirs);
        try {
            ChunkStore store = new ChunkStore(dirs, options);
            for (DataDir d : dirs.list()) {
                for (DataDir.Found f : d.scan()) {
                    store.adopt(d, f);
                }
            }
            log.info("chunk store open: {} replicas ({} corrupt) on {}", store.replicas.size(),
                    store.corruptChunks().size(), dirs);
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                dirs.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void adopt(DataDir d, DataDir.Found f) throws IOException {
        if (f.problem() != null) {
            log.warn("chunk {} on {} is corrupt: {}", Long.toHexString(f.handle()), d, f.problem());
        }
        Replica r = new Replica(d, f.handle(), f.version(), f.length(),
                f.problem() == null ? Replica.NOT_CORRUPT : ChunkCorruptException.SIDECAR);
        d.addUsed(f.length());
        d.addChunks(1);
        Replica prior = replicas.putIfAbsent(f.handle(), r);
        if (prior != null) { // the same chunk on two disks (e.g. a crash mid-move): keep the better copy
            Comparator<Replica> better = Comparator.comparing((Replica x) -> !x.corrupt())
                    .thenComparingLong(Replica::version).thenComparingLong(Replica::length);
            Replica loser = better.compare(r, prior) > 0 ? prior : r;
            log.warn("chunk {} is on {} and {}; deleting the copy on {}", r.hex(), prior.dir, d, loser.dir);
            loser.delete();
            replicas.put(f.handle(), loser == prior ? r : prior);
        }
    }

    /** Creates an empty replica at {@code version} on the data dir with the most free space. */
    public void create(long handle, long version) throws IOException {
        checkOpen();
        DataDir dir = dirs.pickForNewChunk();
        Replica r = new Replica(dir, handle, version, 0, Replica.NOT_CORRUPT);
        r.lockExclusive();
        try {
            if (replicas.putIfAbsent(handle, r) != null) {
                throw new ChunkExistsException(handle);
            }
            try {
                r.createFiles(Blocks.count(options.maxChunkSize()));
            } catch (IOException e) {
                replicas.remove(handle, r);
                throw r.ioError("create", e);
            } catch (RuntimeException e) {
                replicas.remove(handle, r);
                throw e;
            }
            dir.addChunks(1);
        } finally {
            r.unlockWrite();
        }
        openReplicas.touch(r);
    }

    /** Deletes the replica, corrupt or not. */
    public void delete(long handle) throws IOException {
        Replica r = replica(handle);
        r.lockExclusive();
        try {
            if (r.isDeleted()) {
                throw new ChunkNotFoundException(handle);
            }
            r.delete();
            replicas.remove(handle, r);
        } catch (IOException e) {
            throw r.ioError("delete", e);
        } finally {
            r.unlockWrite();
        }
        openReplicas.forget(r);
    }

    /** True if a replica exists, including a corrupt one. */
    public boolean contains(long handle) {
        return replicas.containsKey(handle);
    }

    /** The replica's chunk version; -1 for a corrupt replica whose sidecar could not be read. */
    public long version(long handle) throws ChunkNotFoundException {
        return replica(handle).version();
    }

    /** The replica's length in bytes: the end of the furthest write, truncate or pad. */
    public long length(long handle) throws ChunkNotFoundException {
        return replica(handle).length();
    }

    /** Sets the chunk version and makes it durable before returning. */
    public void setVersion(long handle, long newVersion) throws IOException {
        mutate(handle, "set version of", r -> {
            r.setVersion(newVersion);
            return null;
        });
    }

    /**
     * Writes all of {@code data} (position advances to limit) at {@code offset}; a gap past the current end
     * reads as zeros. The range must end within maxChunkSize.
     */
    public void write(long handle, long offset, ByteBuffer data) throws IOException {
        int n = data.remaining();
        checkRange(offset, n);
        mutate(handle, "write", r -> {
            ReplicaWriter.write(r, offset, data);
            r.wrote(n, options.metaFlushBytes());
            return null;
        });
    }

    /**
     * Reads {@code min(length, length(handle) - offset)} bytes (0 at or past the replica's end) into
     * {@code dst} at its position, advancing it, after checking the CRC32C of every 64 KiB block the range
     * touches. Holes inside the replica read as zeros. {@code dst} must have {@code length} bytes remaining;
     * after an exception its contents in that range are undefined.
     */
    public int read(long handle, long offset, int length, ByteBuffer dst) throws IOException {
        if (offset < 0 || length < 0 || dst.remaining() < length) {
            throw new IllegalArgumentException("bad read: offset " + offset + ", length " + length
                    + ", buffer room " + dst.remaining());
        }
        return inspect(handle, "read", r -> ReplicaReader.read(r, offset, length, dst));
    }

    /** Sets the replica's length: shrinks it, or extends it with zeros. */
    public void truncate(long handle, long length) throws IOException {
        checkRange(0, length);
        mutate(handle, "truncate", r -> {
            ReplicaWriter.truncate(r, length);
            return null;
        });
    }

    /** Extends the replica with zeros to {@code length} (record-append padding); never shrinks it. */
    public void padTo(long handle, long length) throws IOException {
        checkRange(0, length);
        mutate(handle, "pad", r -> {
            if (length < r.length()) {
                throw new IllegalArgumentException("cannot pad chunk " + r.hex() + " of " + r.length()
                        + " bytes down to " + length);
            }
            ReplicaWriter.truncate(r, length);
            return null;
        });
    }

    /** Forces the replica's data, then its sidecar (version, length, CRCs), to disk. */
    public void sync(long handle) throws IOException {
        mutate(handle, "sync", r -> {
            r.persist(true);
            return null;
        });
    }

    /** Re-checks every block of the replica (for the scrubber); throws ChunkCorruptException if one fails. */
    public void verify(long handle) throws IOException {
        inspect(handle, "verify", r -> {
            ReplicaReader.verify(r);
            return null;
        });
    }

    /** Every sound replica, for a full chunk report; corrupt ones are in {@link #corruptChunks} instead. */
    public List<ReplicaInfo> report() {
        return replicas.values().stream().filter(r -> !r.corrupt()).map(Replica::info)
                .sorted(Comparator.comparingLong(ReplicaInfo::handle)).toList();
    }

    /** Handles of replicas found corrupt (at open, on read or by verify), until they are deleted. */
    public List<Long> corruptChunks() {
        return replicas.values().stream().filter(Replica::corrupt).map(r -> r.handle).sorted().toList();
    }

    /** Total size of the file systems under the data dirs (each counted once). */
    public long capacityBytes() throws IOException {
        return dirs.capacityBytes();
    }

    /** Bytes free for this process on the file systems under the data dirs (each counted once). */
    public long freeBytes() throws IOException {
        return dirs.freeBytes();
    }

    /** Sum of the replicas' lengths (holes included). */
    public long usedBytes() {
        return dirs.usedBytes();
    }

    /** Persists and forces every open replica, closes its files and unlocks the data dirs. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (Replica r : replicas.values()) {
            r.lockExclusive();
            try {
                r.close(true);
            } catch (IOException e) {
                r.abandon();
                failure = chain(failure, r.ioError("close", e));
            } finally {
                r.unlockWrite();
            }
        }
        try {
            dirs.close();
        } catch (IOException e) {
            failure = chain(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private <T> T mutate(long handle, String what, ReplicaOp<T> op) throws IOException {
        Replica r = replica(handle);
        r.lockWrite();
        try {
            return op.apply(r);
        } catch (IOException e) {
            throw r.ioError(what, e);
        } finally {
            r.unlockWrite();
            openReplicas.touch(r);
        }
    }

    private <T> T inspect(long handle, String what, ReplicaOp<T> op) throws IOException {
        Replica r = replica(handle);
        r.lockRead();
        try {
            return op.apply(r);
        } catch (IOException e) {
            throw r.ioError(what, e);
        } finally {
            r.unlockRead();
            openReplicas.touch(r);
        }
    }

    private Replica replica(long handle) throws ChunkNotFoundException {
        checkOpen();
        Replica r = replicas.get(handle);
        if (r == null) {
            throw new ChunkNotFoundException(handle);
        }
        return r;
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset > options.maxChunkSize() - length) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + " + " + length
                    + ") is outside a chunk of at most " + options.maxChunkSize() + " bytes");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("chunk store is closed");
        }
    }

    private static IOException chain(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
