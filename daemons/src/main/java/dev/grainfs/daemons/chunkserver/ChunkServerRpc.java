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
    private final ConcurrentHashMap<Long, ReplicaState> states = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicLong readsServed = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong bytesWritten = new java.util.concurrent.atomic.AtomicLong();

    ChunkServerRpc(String selfId, StoreAdapter store, RpcClient peers, ChunkReports reports) {
        this.selfId = selfId;
        this.store = store;
        this.peers = peers;
        this.reports = reports;
    }

    private ReplicaState state(long handle) {
        return states.computeIfAbsent(handle, ReplicaState::new);
    }

    void forget(long handle) {
        states.remove(handle);
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

    private void setVersion(RpcCall call, SetVersionRequest r) throws GrainException {
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
        }
        reports.added(h, r.getNewVersion(), length);
        call.reply(Response.newBuilder().setSetVersion(SetVersionResponse.newBuilder().setLength(length)));
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
        if (w.getOffset() + data.readableBytes() > store.maxChunkSize() || w.getOffset() < 0) {
            throw GrainException.of(StatusCode.EINVAL, "chunk %x: write of %d bytes at %d is outside the chunk",
                    h, data.readableBytes(), w.getOffset());
        }
        ReplicaState st = state(h);
        CompletableFuture<Reply> downstream;
        long length;
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
            downstream = forward(w.toBuilder().setSerial(serial), w.getChainList(), data);
            try {
                if (w.getSetLength()) {
                    store.truncate(h, w.getTruncateTo());
                } else {
                    store.write(h, w.getOffset(), data.nioBuffer());
                    bytesWritten.addAndGet(data.readableBytes());
                }
                if (w.getSync()) {
                    store.sync(h);
                }
            } catch (GrainException e) {
                downstream.thenAccept(Reply::close);
                throw e;
            }
            length = store.length(h);
        }
        final long len = length;
        downstream.whenComplete((reply, err) -> {
            if (reply != null) {
                reply.close();
            }
            if (err != null) {
                failDownstream(call, w.getChainList(), err);
            } else {
                call.reply(Response.newBuilder().setWriteChunk(WriteChunkResponse.newBuilder().setChunkLength(len)));
            }
        });
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
            offset = store.length(h);
            full = offset + size > chunkSize;
            WriteChunkRequest.Builder w = WriteChunkRequest.newBuilder().setHandle(h).setVersion(a.getVersion())
                    .setSerial(serial);
            if (full) {
                // pad every replica to the chunk's end; the client continues on the next chunk
                w.setSetLength(true).setTruncateTo(chunkSize);
                downstream = forward(w, a.getChainList(), Unpooled.EMPTY_BUFFER);
                store.truncate(h, chunkSize);
            } else {
                w.setOffset(offset);
                downstream = forward(w, a.getChainList(), data);
                store.write(h, offset, data.nioBuffer());
            }
        }
        downstream.whenComplete((reply, err) -> {
            if (reply != null) {
                reply.close();
            }
            if (err != null) {
                failDownstream(call, a.getChainList(), err);
            } else if (full) {
                call.fail(StatusCode.ECHUNKFULL, "chunk full");
            } else {
                call.reply(Response.newBuilder().setAppendRecord(AppendRecordResponse.newBuilder().setOffset(offset)));
            }
        });
    }

    /** Sends the mutation to the next replica of the chain (with the rest of the chain). */
    private CompletableFuture<Reply> forward(WriteChunkRequest.Builder w, List<ServerAddress> chain, ByteBuf data) {
        if (chain.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        ServerAddress next = chain.get(0);
        WriteChunkRequest down = w.clearChain().addAllChain(chain.subList(1, chain.size())).build();
        return peers.call(new HostPort(next.getHost(), next.getPort()),
                Request.newBuilder().setWriteChunk(down).build(), data.retainedDuplicate(), FORWARD_TIMEOUT_MS);
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
        int len = (int) Math.min(r.getLength(), MAX_READ);
        ByteBuf buf = call.channel().alloc().directBuffer(Math.max(1, len));
        try {
            int n = store.read(h, r.getOffset(), len, buf.nioBuffer(0, len));
            buf.writerIndex(Math.max(0, n));
        } catch (GrainException e) {
            buf.release();
            if (e.status() == StatusCode.ECORRUPT) {
                reports.corrupt(h);
            }
            throw e;
        }
        readsServed.incrementAndGet();
        bytesRead.addAndGet(buf.readableBytes());
        call.reply(Response.newBuilder().setReadChunk(ReadChunkResponse.newBuilder().setChunkLength(store.length(h))), buf);
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
                    Request.newBuilder().setSyncChunk(down).build(), FORWARD_TIMEOUT_MS);
        }
        store.sync(h);
        downstream.whenComplete((reply, err) -> {
            if (reply != null) {
                reply.close();
            }
            if (err != null) {
                failDownstream(call, s.getChainList(), err);
            } else {
                call.reply(Response.newBuilder().setEmpty(Empty.getDefaultInstance()));
            }
        });
    }

    private void info(RpcCall call, long h) throws GrainException {
        call.reply(Response.newBuilder().setChunkInfo(ChunkInfoResponse.newBuilder().setVersion(store.version(h))
                .setLength(store.length(h))));
    }
}
