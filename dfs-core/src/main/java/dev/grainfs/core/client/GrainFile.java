package dev.grainfs.core.client;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.proto.AppendRecordRequest;
import dev.grainfs.core.wire.proto.Attr;
import dev.grainfs.core.wire.proto.CommitSizeRequest;
import dev.grainfs.core.wire.proto.GetWriteLeaseRequest;
import dev.grainfs.core.wire.proto.GetWriteLeaseResponse;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.ServerAddress;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.core.wire.proto.TruncateRequest;
import dev.grainfs.core.wire.proto.WriteChunkRequest;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An open file: positional reads and writes, append, record append, flush (data on every replica),
 * fsync (and on their disks), truncate, close. Closing flushes, so close-to-open consistency holds:
 * another client that opens the file after close returned sees every byte.
 *
 * Thread-safe: calls on one GrainFile are serialized.
 */
public final class GrainFile implements AutoCloseable {
    private static final int MAX_APPEND_ATTEMPTS = 8;

    private final ClientContext ctx;
    private final String path;
    private final long inode;
    private final long chunkSize;
    private final boolean writable;
    private final FileWriter writer;
    private final FileReader reader;
    private final Attr openedAttr;
    private long committedSize;
    private boolean closed;

    GrainFile(ClientContext ctx, String path, Attr attr, boolean writable) {
        this.ctx = ctx;
        this.path = path;
        this.inode = attr.getInode();
        this.chunkSize = attr.getChunkSize();
        this.writable = writable;
        this.committedSize = attr.getSize();
        this.openedAttr = attr;
        this.writer = writable ? new FileWriter(ctx, inode, chunkSize) : null;
        this.reader = new FileReader(ctx, inode, chunkSize, attr.getSize());
    }

    public String path() {
        return path;
    }

    public long inode() {
        return inode;
    }

    public long chunkSize() {
        return chunkSize;
    }

    /** The file's attributes as the master answered the create or open (saves a stat right after). */
    public FileStat openedStat() {
        return FileStat.of(openedAttr);
    }

    /** Tells {@code o} how sequential reads of this handle found their pieces (read-ahead hits and misses). */
    public synchronized void observeReads(ReadObserver o) {
        reader.observe(o);
    }

    /** The file's size as this handle sees it: what the master said plus what we wrote. */
    public synchronized long size() {
        return Math.max(reader.knownSize(), writer == null ? 0 : writer.maxEnd());
    }

    /** Reads up to dst.remaining() bytes at offset; returns the count, or -1 at end of file. */
    public synchronized int read(long offset, ByteBuffer dst) throws GrainException {
        checkOpen();
        if (writer != null && writer.dirty()) {
            writer.drain();
            reader.invalidate();
            reader.setKnownSize(Math.max(reader.knownSize(), writer.maxEnd()));
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        return reader.read(offset, dst);
    }

    public synchronized void write(long offset, ByteBuffer src) throws GrainException {
        checkWritable();
        if (offset + src.remaining() > (1L << 50)) {
            throw GrainException.of(StatusCode.EFBIG, "%s: file too large", path);
        }
        writer.write(offset, src);
    }

    /** Writes at the current end of the file (as this handle knows it). */
    public synchronized long append(ByteBuffer src) throws GrainException {
        checkWritable();
        long at = size();
        writer.write(at, src);
        return at;
    }

    /**
     * Appends one record atomically at an offset the primary chooses (GFS record append): the record
     * is never split across chunks and is present at least once when this returns. Returns its offset.
     */
    public synchronized long recordAppend(ByteBuffer record) throws GrainException {
        checkWritable();
        int len = record.remaining();
        if (len == 0 || len > chunkSize / 4) {
            throw GrainException.of(StatusCode.EINVAL, "%s: a record must be 1..%d bytes", path, chunkSize / 4);
        }
        writer.drain();
        long idx = Math.max(0, size() - 1) / chunkSize;
        Set<String> exclude = new HashSet<>();
        long failedVersion = 0;
        for (int attempt = 0; attempt < MAX_APPEND_ATTEMPTS * 4; attempt++) {
            GetWriteLeaseRequest.Builder lr = GetWriteLeaseRequest.newBuilder().setInode(inode).setIndex(idx)
                    .addAllExcludeServers(exclude).setFailedVersion(failedVersion);
            GetWriteLeaseResponse lease = ctx.master().call(ctx.config().caller(),
                    Request.newBuilder().setGetWriteLease(lr)).getWriteLease();
            List<ServerAddress> rs = lease.getChunk().getReplicasList();
            Request req = Request.newBuilder().setAppendRecord(AppendRecordRequest.newBuilder()
                    .setHandle(lease.getChunk().getHandle()).setVersion(lease.getChunk().getVersion())
                    .addAllChain(rs.subList(1, rs.size())).setChunkSize(chunkSize))
                    .setChunkToken(lease.getChunk().getToken()).build();
            try (Reply r = ctx.rpc().call(FileWriter.address(rs.get(0)), req, Unpooled.wrappedBuffer(record.duplicate()),
                    ctx.config().callTimeoutMs()).join()) {
                long off = idx * chunkSize + r.response().getAppendRecord().getOffset();
                commit(off + len);
                return off;
            } catch (RuntimeException e) {
                GrainException g = GrainException.from(e);
                if (g.status() == StatusCode.ECHUNKFULL) {
                    commit((idx + 1) * chunkSize);
                    idx = Math.max(idx + 1, (committedSize - 1) / chunkSize);
                    exclude.clear();
                    failedVersion = 0;
                    continue;
                }
                if (g.status() == StatusCode.EINVAL) {
                    throw g;
                }
                if (attempt >= MAX_APPEND_ATTEMPTS) {
                    throw new GrainException(StatusCode.EIO, path + ": record append failed: " + g.getMessage());
                }
                failedVersion = lease.getChunk().getVersion();
                if (!g.failedServer().isEmpty() && g.status() != StatusCode.ENOTPRIMARY && g.status() != StatusCode.ESTALE) {
                    exclude.add(idFor(rs, g.failedServer()));
                }
                pause(50L * (attempt + 1));
            }
        }
        throw new GrainException(StatusCode.EIO, path + ": record append did not find room");
    }

    private static String idFor(List<ServerAddress> rs, String failed) {
        for (ServerAddress a : rs) {
            if (failed.equals(a.getHost() + ":" + a.getPort())) {
                return a.getServerId();
            }
        }
        return failed;
    }

    /** Every byte written so far is on every replica and the master knows the new size. */
    public synchronized void flush() throws GrainException {
        checkOpen();
        if (writer == null || !writer.dirty()) {
            return;
        }
        writer.drain();
        commit(writer.maxEnd());
        writer.markClean();
    }

    /** flush(), and the replicas forced the data to their disks. */
    public synchronized void fsync() throws GrainException {
        checkOpen();
        if (writer == null) {
            return;
        }
        boolean wasDirty = writer.dirty();
        writer.sync();
        if (wasDirty) {
            commit(writer.maxEnd());
            writer.markClean();
        }
    }

    private void commit(long end) throws GrainException {
        Attr a = ctx.master().call(ctx.config().caller(), Request.newBuilder().setCommitSize(
                CommitSizeRequest.newBuilder().setInode(inode).setSize(end))).getAttr();
        committedSize = a.getSize();
        reader.setKnownSize(Math.max(reader.knownSize(), committedSize));
    }

    /**
     * Cuts or extends the file. The replica of a chunk cut in the middle is truncated on every
     * replica first, so bytes past the new end never reappear when the file grows again.
     */
    public synchronized void truncate(long size) throws GrainException {
        checkWritable();
        if (size < 0) {
            throw GrainException.of(StatusCode.EINVAL, "%s: negative size", path);
        }
        writer.drain();
        if (size % chunkSize != 0 && size < size()) {
            cutChunk(size / chunkSize, size % chunkSize);
        }
        Attr a = ctx.master().call(ctx.config().caller(), Request.newBuilder().setTruncate(
                TruncateRequest.newBuilder().setPath(path).setSize(size))).getAttr();
        writer.forgetLeases();
        writer.resetEnd(size);
        reader.invalidate();
        reader.setKnownSize(a.getSize());
        committedSize = a.getSize();
    }

    private void cutChunk(long idx, long length) throws GrainException {
        for (int attempt = 0; ; attempt++) {
            GetWriteLeaseResponse lease = ctx.master().call(ctx.config().caller(), Request.newBuilder().setGetWriteLease(
                    GetWriteLeaseRequest.newBuilder().setInode(inode).setIndex(idx))).getWriteLease();
            List<ServerAddress> rs = lease.getChunk().getReplicasList();
            Request req = Request.newBuilder().setWriteChunk(WriteChunkRequest.newBuilder()
                    .setHandle(lease.getChunk().getHandle()).setVersion(lease.getChunk().getVersion())
                    .addAllChain(rs.subList(1, rs.size())).setSetLength(true).setTruncateTo(length))
                    .setChunkToken(lease.getChunk().getToken()).build();
            try (Reply r = ctx.rpc().call(FileWriter.address(rs.get(0)), req, ctx.config().callTimeoutMs()).join()) {
                return;
            } catch (RuntimeException e) {
                if (attempt >= 3) {
                    throw GrainException.from(e);
                }
                pause(100);
            }
        }
    }

    @Override
    public synchronized void close() throws GrainException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            if (writer != null) {
                writer.discard();
            }
            reader.close();
        }
    }

    private void checkOpen() throws GrainException {
        if (closed) {
            throw GrainException.of(StatusCode.EINVAL, "%s: file is closed", path);
        }
    }

    private void checkWritable() throws GrainException {
        checkOpen();
        if (!writable) {
            throw GrainException.of(StatusCode.EINVAL, "%s: not open for writing", path);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
