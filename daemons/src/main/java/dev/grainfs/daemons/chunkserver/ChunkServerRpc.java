package dev.grainfs.daemons.chunkserver;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcCall;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.RpcHandler;
import dev.grainfs.core.wire.proto.AppendRecordRequest;
import dev.grainfs.core.wire.proto.AppendRecordResponse;
import dev.grainfs.core.wire.proto.ChunkInfoResponse;
import dev.grainfs.core.wire.proto.Empty;
import dev.grainfs.core.wire.proto.ReadChunkRequest;
import dev.grainfs.core.wire.proto.ReadChunkResponse;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.ServerAddress;
import dev.grainfs.core.wire.proto.SetVersionRequest;
import dev.grainfs.core.wire.proto.SetVersionResponse;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.core.wire.proto.SyncChunkRequest;
import dev.grainfs.core.wire.proto.WriteChunkRequest;
import dev.grainfs.core.wire.proto.WriteChunkResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chunkserver's request handling: the GFS write path (the primary orders mutations with serial
 * numbers and pushes them down the replica chain; a mutation is acknowledged only when every
 * replica applied it), record append, verified reads and version changes for new leases.
 *
 * Runs on Netty I/O threads. Each chunk's mutations are ordered by its {@link ReplicaState}
 * monitor: serial assignment, the send downstream and the local write happen under it, so every
 * replica applies one chunk's mutations in the same order.
 */
final class ChunkServerRpc implements RpcHandler {
    static final int MAX_READ = 8 << 20;
    private static final long FORWARD_TIMEOUT_MS = 30_000;
    private static final long LEASE_MARGIN_MS = 2_000;

    private final String selfId;
    private final StoreAdapter store;
    private final RpcClient peers;
    private final ChunkReports reports;
    private final DiskExecutors disk;
    private final ConcurrentHashMap<Long, ReplicaState> states = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicLong readsServed = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong bytesWritten = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong checksumFailures = new java.util.concurrent.atomic.AtomicLong();

    private final ChunkAccessGuard guard;
    private MasterEpoch epoch = new MasterEpoch();

    ChunkServerRpc(String selfId, StoreAdapter store, RpcClient peers, ChunkReports reports, DiskExecutors disk) {
        this(selfId, store, peers, reports, disk, ChunkAccessGuard.OPEN);
    }

    ChunkServerRpc(String selfId, StoreAdapter store, RpcClient peers, ChunkReports reports, DiskExecutors disk,
                   ChunkAccessGuard guard) {
        this.guard = guard;
        this.selfId = selfId;
        this.store = store;
        this.peers = peers;
        this.reports = reports;
        this.disk = disk;
    }

    /** Refuses SetVersion from masters older than the newest epoch in {@code e} (failover fencing). */
    ChunkServerRpc withEpoch(MasterEpoch e) {
        this.epoch = e;
        return this;
    }

    /** Runs a disk task on {@code executor}; its GrainException completes the future exceptionally. */
    private static <T> CompletableFuture<T> onDisk(java.util.concurrent.Executor executor, DiskTask<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    f.complete(task.run());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new GrainException(StatusCode.EAGAIN, "chunkserver is stopping"));
        }
        return f;
    }

    @FunctionalInterface
    private interface DiskTask<T> {
        T run() throws GrainException;
    }

    /** The replica's length including mutations queued for the disk but not yet applied. */
    private long logicalLength(ReplicaState st) throws GrainException {
        if (st.length < 0) {
            st.length = store.length(st.handle);
        }
        return st.length;
    }

    private void replyError(RpcCall call, Throwable err) {
        GrainException g = GrainException.from(err);
        call.reply(Response.newBuilder().setStatus(g.status()).setMessage(String.valueOf(g.getMessage()))
                .setFailedServer(g.failedServer().isEmpty() ? selfId : g.failedServer()));
    }

    private ReplicaState state(long handle) {
        return states.computeIfAbsent(handle, ReplicaState::new);
    }

    void forget(long handle) {
        states.remove(handle);
    }

    /** Deletes a replica on its stripe, after any mutation still queued for it. */
    CompletableFuture<Void> delete(long handle) {
        return onDisk(disk.writer(handle), () -> {
            store.delete(handle);
            states.remove(handle);
            return null;
        });
    }

    /** Chunks we are primary of and that clients wrote recently: their leases should be extended. */
    List<Long> leasesToRenew(long nowNs, long windowNs) {
        return states.values().stream()
                .filter(s -> s.leaseValid(nowNs) && nowNs - s.lastClientWriteNs < windowNs)
                .map(s -> s.handle).toList();
    }

    void leaseExtended(long handle, long leaseMs) {
        ReplicaState s = states.get(handle);
        if (s != null) {
            synchronized (s) {
                if (s.leaseDeadlineNs != 0) {
                    s.leaseDeadlineNs = System.nanoTime() + (leaseMs - LEASE_MARGIN_MS) * 1_000_000L;
                }
            }
        }
    }

    @Override
    public void handle(RpcCall call) {
        try {
            guard.check(call.request());
            switch (call.request().getBodyCase()) {
                case SET_VERSION -> setVersion(call, call.request().getSetVersion());
                case WRITE_CHUNK -> write(call, call.request().getWriteChunk());
                case APPEND_RECORD -> append(call, call.request().getAppendRecord());
                case READ_CHUNK -> read(call, call.request().getReadChunk());
                case SYNC_CHUNK -> sync(call, call.request().getSyncChunk());
                case CHUNK_INFO -> info(call, call.request().getChunkInfo().getHandle());
                default -> call.fail(StatusCode.ENOTSUP, "a chunkserver does not serve " + call.request().getBodyCase());
            }
        } catch (GrainException e) {
            call.reply(Response.newBuilder().setStatus(e.status()).setMessage(e.getMessage())
                    .setFailedServer(e.failedServer().isEmpty() ? selfId : e.failedServer()));
        }
    }

    private void setVersion(RpcCall call, SetVersionRequest r) {
        long e = call.request().getEpoch();
        if (e > 0 && e < epoch.highest()) {
            call.fail(StatusCode.ENOTACTIVE, "master of epoch " + e + " is fenced: a master of epoch "
                    + epoch.highest() + " is active");
            return;
        }
        long h = r.getHandle();
        onDisk(disk.writer(h), () -> applyVersion(r)).whenComplete((length, err) -> {
            if (err != null) {
                replyError(call, err);
            } else {
                reports.added(h, r.getNewVersion(), length);
                call.reply(Response.newBuilder().setSetVersion(SetVersionResponse.newBuilder().setLength(length)));
            }
        });
    }

    private long applyVersion(SetVersionRequest r) throws GrainException {
        long h = r.getHandle();
        ReplicaState st = state(h);
        long length;
        synchronized (st) {
            if (!store.contains(h)) {
                if (!r.getCreate()) {
                    throw GrainException.of(StatusCode.ENOENT, "chunk %x: no replica here", h);
                }
                store.create(h, r.getNewVersion());
            } else {
                long v = store.version(h);
                if (v != r.getNewVersion()) {
                    if (v != r.getExpectedVersion() && !r.getCreate()) {
                        throw GrainException.of(StatusCode.ESTALE, "chunk %x: replica has version %d, expected %d", h, v,
                                r.getExpectedVersion());
                    }
                    store.setVersion(h, r.getNewVersion());
                }
            }
            if (r.getLeaseMs() > 0) {
                st.leaseDeadlineNs = System.nanoTime() + Math.max(1, r.getLeaseMs() - LEASE_MARGIN_MS) * 1_000_000L;
            }
            length = store.length(h);
            st.length = length;
        }
        return length;
    }

    private void checkVersion(long h, long version) throws GrainException {
        long v = store.version(h);
        if (v != version) {
            throw GrainException.of(StatusCode.ESTALE, "chunk %x: replica version %d, request version %d", h, v, version);
        }
        if (reports.isReportedCorrupt(h)) {
            throw GrainException.of(StatusCode.ECORRUPT, "chunk %x: replica is corrupt", h);
        }
    }

    private void write(RpcCall call, WriteChunkRequest w) throws GrainException {
        long h = w.getHandle();
        ByteBuf data = call.payload();
        if (w.getOffset() + data.readableBytes() > store.maxChunkSize() || w.getOffset() < 0
                || (w.getSetLength() && w.getTruncateTo() > store.maxChunkSize())) {
            throw GrainException.of(StatusCode.EINVAL, "chunk %x: write of %d bytes at %d is outside the chunk",
                    h, data.readableBytes(), w.getOffset());
        }
        ReplicaState st = state(h);
        CompletableFuture<Reply> downstream;
        CompletableFuture<Long> local;
        synchronized (st) {
            checkVersion(h, w.getVersion());
            long serial = w.getSerial();
            if (serial == 0) {
                long now = System.nanoTime();
                if (!st.leaseValid(now)) {
                    throw GrainException.of(StatusCode.ENOTPRIMARY, "chunk %x: this replica holds no lease", h);
                }
                serial = ++st.nextSerial;
                st.lastClientWriteNs = now;
            } else {
                st.lastAppliedSerial = serial;
                st.nextSerial = Math.max(st.nextSerial, serial);
            }
            long len = logicalLength(st);
            st.length = w.getSetLength() ? w.getTruncateTo() : Math.max(len, w.getOffset() + data.readableBytes());
            downstream = forward(w.toBuilder().setSerial(serial), w.getChainList(), data, call);
            local = applyLocally(h, w.getSetLength(), w.getTruncateTo(), w.getOffset(), data, w.getSync());
        }
        complete(call, downstream, local, w.getChainList(),
                len -> Response.newBuilder().setWriteChunk(WriteChunkResponse.newBuilder().setChunkLength(len)));
    }

    /** Queues the mutation on the chunk's disk stripe (in order); the payload is held until it ran. */
    private CompletableFuture<Long> applyLocally(long h, boolean setLength, long truncateTo, long offset, ByteBuf data,
                                                 boolean sync) {
        ByteBuf held = data.retain();
        return onDisk(disk.writer(h), () -> {
            try {
                if (setLength) {
                    store.truncate(h, truncateTo);
                } else {
                    store.write(h, offset, held.nioBuffer());
                    bytesWritten.addAndGet(held.readableBytes());
                }
                if (sync) {
                    store.sync(h);
                }
                return store.length(h);
            } finally {
                held.release();
            }
        });
    }

    /** Answers once the local mutation and the rest of the chain both succeeded. */
    private void complete(RpcCall call, CompletableFuture<Reply> downstream, CompletableFuture<Long> local,
                          List<ServerAddress> chain, java.util.function.LongFunction<Response.Builder> ok) {
        local.whenComplete((len, localErr) -> downstream.whenComplete((reply, err) -> {
            if (reply != null) {
                reply.close();
            }
            if (localErr != null) {
                replyError(call, localErr);
            } else if (err != null) {
                failDownstream(call, chain, err);
            } else {
                call.reply(ok.apply(len));
            }
        }));
    }

    private void append(RpcCall call, AppendRecordRequest a) throws GrainException {
        long h = a.getHandle();
        ByteBuf data = call.payload();
        int size = data.readableBytes();
        long chunkSize = a.getChunkSize();
        if (size == 0 || size > chunkSize / 4 || chunkSize > store.maxChunkSize()) {
            throw GrainException.of(StatusCode.EINVAL, "record of %d bytes: must be 1..%d (a quarter chunk)", size,
                    chunkSize / 4);
        }
        ReplicaState st = state(h);
        CompletableFuture<Reply> downstream;
        CompletableFuture<Long> local;
        long offset;
        boolean full;
        synchronized (st) {
            checkVersion(h, a.getVersion());
            long now = System.nanoTime();
            if (!st.leaseValid(now)) {
                throw GrainException.of(StatusCode.ENOTPRIMARY, "chunk %x: this replica holds no lease", h);
            }
            st.lastClientWriteNs = now;
            long serial = ++st.nextSerial;
            offset = logicalLength(st);
            full = offset + size > chunkSize;
            WriteChunkRequest.Builder w = WriteChunkRequest.newBuilder().setHandle(h).setVersion(a.getVersion())
                    .setSerial(serial);
            if (full) {
                // pad every replica to the chunk's end; the client continues on the next chunk
                w.setSetLength(true).setTruncateTo(chunkSize);
                st.length = chunkSize;
                downstream = forward(w, a.getChainList(), Unpooled.EMPTY_BUFFER, call);
                local = applyLocally(h, true, chunkSize, 0, Unpooled.EMPTY_BUFFER, false);
            } else {
                w.setOffset(offset);
                st.length = offset + size;
                downstream = forward(w, a.getChainList(), data, call);
                local = applyLocally(h, false, 0, offset, data, false);
            }
        }
        final long at = offset;
        if (full) {
            complete(call, downstream, local, a.getChainList(),
                    len -> Response.newBuilder().setStatus(StatusCode.ECHUNKFULL).setMessage("chunk full"));
        } else {
            complete(call, downstream, local, a.getChainList(),
                    len -> Response.newBuilder().setAppendRecord(AppendRecordResponse.newBuilder().setOffset(at)));
        }
    }

    /** Sends the mutation to the next replica of the chain (with the rest of the chain and the caller's token). */
    private CompletableFuture<Reply> forward(WriteChunkRequest.Builder w, List<ServerAddress> chain, ByteBuf data,
                                             RpcCall call) {
        if (chain.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        ServerAddress next = chain.get(0);
        WriteChunkRequest down = w.clearChain().addAllChain(chain.subList(1, chain.size())).build();
        return peers.call(new HostPort(next.getHost(), next.getPort()),
                Request.newBuilder().setWriteChunk(down).setChunkToken(call.request().getChunkToken()).build(),
                data.retainedDuplicate(), FORWARD_TIMEOUT_MS);
    }

    private void failDownstream(RpcCall call, List<ServerAddress> chain, Throwable err) {
        GrainException g = GrainException.from(err);
        ServerAddress next = chain.get(0);
        String failed = g.failedServer();
        if (failed.isEmpty() || failed.equals(next.getHost() + ":" + next.getPort())) {
            failed = next.getServerId();
        }
        call.reply(Response.newBuilder().setStatus(g.status()).setMessage("replica " + failed + ": " + g.getMessage())
                .setFailedServer(failed));
    }

    private void read(RpcCall call, ReadChunkRequest r) throws GrainException {
        long h = r.getHandle();
        if (r.getVersion() != 0) {
            checkVersion(h, r.getVersion());
        }
        int len = (int) Math.min(Integer.toUnsignedLong(r.getLength()), MAX_READ);
        onDisk(disk.readers(), () -> {
            ByteBuf buf = call.channel().alloc().directBuffer(Math.max(1, len));
            try {
                int n = store.read(h, r.getOffset(), len, buf.nioBuffer(0, len));
                buf.writerIndex(Math.max(0, n));
                return buf;
            } catch (GrainException e) {
                buf.release();
                if (e.status() == StatusCode.ECORRUPT) {
                    checksumFailures.incrementAndGet();
                    reports.corrupt(h);
                }
                throw e;
            }
        }).whenComplete((buf, err) -> {
            if (err != null) {
                replyError(call, err);
                return;
            }
            readsServed.incrementAndGet();
            bytesRead.addAndGet(buf.readableBytes());
            long length;
            try {
                length = store.length(h);
            } catch (GrainException e) {
                buf.release();
                replyError(call, e);
                return;
            }
            call.reply(Response.newBuilder().setReadChunk(ReadChunkResponse.newBuilder().setChunkLength(length)), buf);
        });
    }

    private void sync(RpcCall call, SyncChunkRequest s) throws GrainException {
        long h = s.getHandle();
        checkVersion(h, s.getVersion());
        CompletableFuture<Reply> downstream = CompletableFuture.completedFuture(null);
        if (s.getChainCount() > 0) {
            ServerAddress next = s.getChain(0);
            SyncChunkRequest down = s.toBuilder().clearChain().addAllChain(s.getChainList().subList(1, s.getChainCount()))
                    .build();
            downstream = peers.call(new HostPort(next.getHost(), next.getPort()),
                    Request.newBuilder().setSyncChunk(down).setChunkToken(call.request().getChunkToken()).build(),
                    FORWARD_TIMEOUT_MS);
        }
        // on the chunk's stripe: runs after every write queued before it
        CompletableFuture<Long> local = onDisk(disk.writer(h), () -> {
            store.sync(h);
            return 0L;
        });
        complete(call, downstream, local, s.getChainList(),
                len -> Response.newBuilder().setEmpty(Empty.getDefaultInstance()));
    }

    private void info(RpcCall call, long h) throws GrainException {
        call.reply(Response.newBuilder().setChunkInfo(ChunkInfoResponse.newBuilder().setVersion(store.version(h))
                .setLength(store.length(h))));
    }
}
