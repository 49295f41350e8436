package dev.grainfs.core.client;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.proto.ChunkLocation;
import dev.grainfs.core.wire.proto.GetWriteLeaseRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.ServerAddress;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.core.wire.proto.SyncChunkRequest;
import dev.grainfs.core.wire.proto.WriteChunkRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The write side of one open file. Bytes are gathered into packets (never crossing a chunk
 * boundary) and pipelined to each chunk's primary, which pushes them down the replica chain; a
 * window bounds the packets in flight. Every packet is kept until all replicas acknowledged it.
 *
 * When a packet fails, the writer waits for the rest of the window, asks the master for a fresh
 * lease without the failed replica, and resends every unacknowledged packet of that chunk in the
 * original order (so overlapping writes land in order). Writes at an offset are idempotent, so a
 * resend is safe.
 *
 * Not thread-safe: the owning GrainFile serializes calls.
 */
final class FileWriter {
    private static final int MAX_RECOVERIES = 6;

    private final ClientContext ctx;
    private final long inode;
    private final long chunkSize;
    private final Map<Long, Lease> leases = new HashMap<>();
    /** seq -> packet, for packets not yet acknowledged (in flight or failed). */
    private final TreeMap<Long, Packet> unacked = new TreeMap<>();
    private final Set<Long> unsyncedChunks = new HashSet<>();
    private ByteBuf buffer;
    private long bufferOffset;
    private long seq;
    private int inflight;
    private long maxEnd;
    private boolean dirty;

    record Lease(long index, long handle, long version, List<ServerAddress> replicas, long expiresNs,
                 com.google.protobuf.ByteString token) {
        ServerAddress primary() {
            return replicas.get(0);
        }
    }

    private static final class Packet {
        final long seq;
        final long chunkIndex;
        final long offsetInChunk;
        final ByteBuf data;
        long version;
        GrainException failure;
        boolean done;

        Packet(long seq, long chunkIndex, long offsetInChunk, ByteBuf data) {
            this.seq = seq;
            this.chunkIndex = chunkIndex;
            this.offsetInChunk = offsetInChunk;
            this.data = data;
        }
    }

    FileWriter(ClientContext ctx, long inode, long chunkSize) {
        this.ctx = ctx;
        this.inode = inode;
        this.chunkSize = chunkSize;
    }

    long maxEnd() {
        return maxEnd;
    }

    boolean dirty() {
        return dirty || buffer != null;
    }

    void write(long offset, ByteBuffer src) throws GrainException {
        if (offset < 0) {
            throw GrainException.of(StatusCode.EINVAL, "negative offset %d", offset);
        }
        if (buffer != null && offset != bufferOffset + buffer.readableBytes()) {
            sendBuffer();
        }
        long off = offset;
        while (src.hasRemaining()) {
            if (buffer == null) {
                buffer = PooledByteBufAllocator.DEFAULT.directBuffer(ctx.config().packetBytes());
                bufferOffset = off;
            }
            long chunkEnd = (bufferOffset / chunkSize + 1) * chunkSize;
            long end = bufferOffset + buffer.readableBytes();
            int room = (int) Math.min(ctx.config().packetBytes() - buffer.readableBytes(), chunkEnd - end);
            int n = Math.min(room, src.remaining());
            ByteBuffer part = src.slice(src.position(), n);
            buffer.writeBytes(part);
            src.position(src.position() + n);
            off += n;
            if (buffer.readableBytes() == ctx.config().packetBytes() || bufferOffset + buffer.readableBytes() == chunkEnd) {
                sendBuffer();
            }
        }
        maxEnd = Math.max(maxEnd, off);
        dirty = true;
    }

    /** Sends what is buffered and waits until every replica acknowledged everything written. */
    void drain() throws GrainException {
        sendBuffer();
        awaitAll();
    }

    /** drain() and then force every chunk written since the last sync to disk on all replicas. */
    void sync() throws GrainException {
        drain();
        for (Long idx : List.copyOf(unsyncedChunks)) {
            Lease l = lease(idx, null);
            List<ServerAddress> chain = l.replicas().subList(1, l.replicas().size());
            Request req = Request.newBuilder().setSyncChunk(SyncChunkRequest.newBuilder().setHandle(l.handle())
                    .setVersion(l.version()).addAllChain(chain)).setChunkToken(l.token()).build();
            try (Reply r = ctx.rpc().call(address(l.primary()), req, ctx.config().callTimeoutMs()).join()) {
                unsyncedChunks.remove(idx);
            } catch (RuntimeException e) {
                throw GrainException.from(e);
            }
        }
    }

    /** After a truncate: the file now ends at {@code size}. */
    void resetEnd(long size) {
        maxEnd = size;
    }

    void markClean() {
        dirty = false;
    }

    /** Drops leases (after a truncate or a failure). */
    void forgetLeases() {
        leases.clear();
    }

    private void sendBuffer() throws GrainException {
        if (buffer == null) {
            return;
        }
        ByteBuf data = buffer;
        buffer = null;
        if (!data.isReadable()) {
            data.release();
            return;
        }
        long idx = bufferOffset / chunkSize;
        Packet p = new Packet(++seq, idx, bufferOffset - idx * chunkSize, data);
        synchronized (this) {
            while (inflight >= ctx.config().writeWindow()) {
                waitForAcks();
            }
        }
        recoverIfFailed();
        unacked.put(p.seq, p);
        unsyncedChunks.add(idx);
        send(p, lease(idx, null));
    }

    private void send(Packet p, Lease l) {
        p.version = l.version();
        p.done = false;
        p.failure = null;
        WriteChunkRequest w = WriteChunkRequest.newBuilder().setHandle(l.handle()).setVersion(l.version())
                .setOffset(p.offsetInChunk).addAllChain(l.replicas().subList(1, l.replicas().size())).build();
        synchronized (this) {
            inflight++;
        }
        CompletableFuture<Reply> f = ctx.rpc().call(address(l.primary()), Request.newBuilder().setWriteChunk(w).setChunkToken(l.token()).build(),
                p.data.retainedDuplicate(), ctx.config().callTimeoutMs());
        f.whenComplete((reply, err) -> {
            if (reply != null) {
                reply.close();
            }
            synchronized (this) {
                p.done = true;
                p.failure = err == null ? null : GrainException.from(err);
                inflight--;
                notifyAll();
            }
        });
    }

    private void waitForAcks() throws GrainException {
        try {
            wait(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GrainException(StatusCode.EIO, "interrupted while writing");
        }
    }

    private void awaitAll() throws GrainException {
        for (int round = 0; ; round++) {
            synchronized (this) {
                while (inflight > 0) {
                    waitForAcks();
                }
            }
            releaseAcked();
            if (unacked.isEmpty()) {
                return;
            }
            if (round >= MAX_RECOVERIES) {
                GrainException last = unacked.firstEntry().getValue().failure;
                throw new GrainException(StatusCode.EIO, "write failed after " + round + " attempts: "
                        + (last == null ? "unknown error" : last.getMessage()));
            }
            recover();
        }
    }

    /** Frees acknowledged packets. */
    private synchronized void releaseAcked() {
        unacked.values().removeIf(p -> {
            if (p.done && p.failure == null) {
                p.data.release();
                return true;
            }
            return false;
        });
    }

    private void recoverIfFailed() throws GrainException {
        boolean failed;
        synchronized (this) {
            failed = unacked.values().stream().anyMatch(p -> p.done && p.failure != null);
        }
        if (failed) {
            awaitAll();
        } else {
            releaseAcked();
        }
    }

    /** Re-leases every chunk with failed packets (without the failed replica) and resends them in order. */
    private void recover() throws GrainException {
        Map<Long, Set<String>> excludeByChunk = new HashMap<>();
        Map<Long, Long> failedVersion = new HashMap<>();
        GrainException fatal = null;
        for (Packet p : unacked.values()) {
            GrainException f = p.failure;
            if (f == null) {
                continue;
            }
            if (f.status() == StatusCode.EINVAL || f.status() == StatusCode.ENOSPC || f.status() == StatusCode.EACCES) {
                fatal = f;
            }
            Set<String> ex = excludeByChunk.computeIfAbsent(p.chunkIndex, k -> new HashSet<>());
            Lease held = leases.get(p.chunkIndex);
            boolean primaryStale = f.status() == StatusCode.ESTALE && held != null
                    && f.failedServer().equals(held.primary().getServerId());
            if (!f.failedServer().isEmpty() && f.status() != StatusCode.ENOTPRIMARY && !primaryStale) {
                ex.add(resolveServerId(held, f.failedServer()));
            }
            failedVersion.put(p.chunkIndex, p.version);
        }
        if (fatal != null) {
            throw fatal;
        }
        pause();
        for (Map.Entry<Long, Set<String>> e : excludeByChunk.entrySet()) {
            leases.remove(e.getKey());
            lease(e.getKey(), new Retry(e.getValue(), failedVersion.get(e.getKey())));
        }
        List<Packet> resend = new ArrayList<>(unacked.values());
        for (Packet p : resend) {
            if (p.failure != null) {
                send(p, lease(p.chunkIndex, null));
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record Retry(Set<String> exclude, long failedVersion) {
    }

    private Lease lease(long idx, Retry retry) throws GrainException {
        Lease l = leases.get(idx);
        long now = System.nanoTime();
        if (l != null && retry == null && now < l.expiresNs()) {
            return l;
        }
        GetWriteLeaseRequest.Builder r = GetWriteLeaseRequest.newBuilder().setInode(inode).setIndex(idx);
        if (retry != null) {
            Set<String> ex = new HashSet<>();
            Lease old = l;
            for (String s : retry.exclude()) {
                ex.add(resolveServerId(old, s));
            }
            r.addAllExcludeServers(ex).setFailedVersion(retry.failedVersion());
        }
        var resp = ctx.master().call(ctx.config().caller(), Request.newBuilder().setGetWriteLease(r)).getWriteLease();
        ChunkLocation c = resp.getChunk();
        if (c.getReplicasCount() == 0) {
            throw GrainException.of(StatusCode.EIO, "master granted a lease with no replicas");
        }
        // renew well before the lease runs out (the primary's own clock has a margin too)
        long validNs = Math.max(1_000, resp.getLeaseMs() - 10_000) * 1_000_000L;
        l = new Lease(idx, c.getHandle(), c.getVersion(), List.copyOf(c.getReplicasList()), now + validNs, c.getToken());
        leases.put(idx, l);
        return l;
    }

    /** Failed servers are named by id, or by host:port when the connection itself failed. */
    private static String resolveServerId(Lease l, String failed) {
        if (l != null) {
            for (ServerAddress a : l.replicas()) {
                if (failed.equals(a.getHost() + ":" + a.getPort())) {
                    return a.getServerId();
                }
            }
        }
        return failed;
    }

    static HostPort address(ServerAddress a) {
        return new HostPort(a.getHost(), a.getPort());
    }

    /** Releases buffers of a writer that is being abandoned. */
    void discard() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        synchronized (this) {
            for (Packet p : unacked.values()) {
                p.data.release(); // a send still in flight holds its own reference
            }
            unacked.clear();
        }
    }
}
