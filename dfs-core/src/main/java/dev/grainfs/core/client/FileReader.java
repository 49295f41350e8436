package dev.grainfs.core.client;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.proto.ChunkLocation;
import dev.grainfs.core.wire.proto.GetLocationsRequest;
import dev.grainfs.core.wire.proto.GetLocationsResponse;
import dev.grainfs.core.wire.proto.ReadChunkRequest;
import dev.grainfs.core.wire.proto.ReportBadReplicaRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.ServerAddress;
import dev.grainfs.core.wire.proto.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The read side of one open file: a cache of chunk locations, reads split into pieces that go to
 * chunkservers in parallel, read-ahead on sequential access, and failover to another replica on a
 * checksum or I/O error (reporting the bad replica to the master). Never returns bytes a replica
 * could not verify.
 *
 * Not thread-safe: the owning GrainFile serializes calls.
 */
final class FileReader {
    private static final int LOCATION_BATCH = 64;
    private static final long LOCATION_MAX_AGE_NS = 4 * 60_000_000_000L;
    private static final int MAX_ATTEMPTS = 4;
    /** Random reads up to this size fetch only their own bytes. */
    private static final int SMALL_READ = 128 << 10;

    private final ClientContext ctx;
    private final long inode;
    private final long chunkSize;
    private final int pieceBytes;
    private final int seed = ThreadLocalRandom.current().nextInt(1 << 16);
    private final TreeMap<Long, ChunkLocation> locations = new TreeMap<>();
    private final Map<Long, Long> fetchedBatches = new HashMap<>();
    /** piece start offset -> the read of that piece, already sent. */
    private final TreeMap<Long, CompletableFuture<ByteBuf>> pieces = new TreeMap<>();
    /** Pieces requested ahead of the read that started them and not yet used by a read. */
    private final java.util.Set<Long> aheadUnused = new java.util.HashSet<>();
    private ReadObserver observer = ReadObserver.NONE;
    private long nextSequential = -1;
    private long knownSize;

    FileReader(ClientContext ctx, long inode, long chunkSize, long size) {
        this.ctx = ctx;
        this.inode = inode;
        this.chunkSize = chunkSize;
        this.pieceBytes = (int) Math.min(ctx.config().readPieceBytes(), chunkSize);
        this.knownSize = size;
    }

    void observe(ReadObserver o) {
        observer = o;
    }

    long knownSize() {
        return knownSize;
    }

    void setKnownSize(long size) {
        knownSize = size;
    }

    /** Forgets cached data and locations (the file changed). */
    void invalidate() {
        dropPieces(Long.MAX_VALUE);
        locations.clear();
        fetchedBatches.clear();
        nextSequential = -1;
    }

    /** Reads into dst from offset; returns bytes read, -1 at end of file. */
    int read(long offset, ByteBuffer dst) throws GrainException {
        if (offset < 0) {
            throw GrainException.of(StatusCode.EINVAL, "negative offset %d", offset);
        }
        if (offset >= knownSize) {
            refreshSize();
            if (offset >= knownSize) {
                return -1;
            }
        }
        int want = (int) Math.min(dst.remaining(), knownSize - offset);
        boolean sequential = offset == nextSequential || offset == 0;
        long end = offset + want;
        if (!sequential && want <= SMALL_READ && !pieces.containsKey(pieceStart(offset))) {
            // a small random read: fetch just its bytes, not the whole piece around them
            int n = readExact(offset, want, dst);
            nextSequential = end;
            return n;
        }
        // start every piece this read needs, plus the read-ahead
        long first = pieceStart(offset);
        long aheadEnd = sequential ? Math.min(knownSize, end + (long) ctx.config().readAhead() * pieceBytes) : end;
        for (long p = first; p < aheadEnd; p = pieceEnd(p)) {
            if (!pieces.containsKey(p)) {
                pieces.put(p, fetchPiece(p));
                if (p >= end) {
                    aheadUnused.add(p);
                } else {
                    observer.piece(false);
                }
            }
        }
        int done = 0;
        for (long p = first; p < end; p = pieceEnd(p)) {
            if (aheadUnused.remove(p)) {
                observer.piece(true);
            }
            ByteBuf data = await(p);
            long from = Math.max(offset, p);
            long to = Math.min(end, pieceEnd(p));
            int inPiece = (int) (from - p);
            int n = (int) (to - from);
            ByteBuffer out = dst.slice(dst.position() + done, n);
            int have = Math.max(0, Math.min(n, data.readableBytes() - inPiece));
            if (have > 0) {
                data.getBytes(data.readerIndex() + inPiece, out.limit(have));
            }
            for (int k = have; k < n; k++) {
                dst.put(dst.position() + done + k, (byte) 0); // a hole, or past the replica's end
            }
            done += n;
        }
        dst.position(dst.position() + done);
        nextSequential = end;
        dropPieces(pieceStart(end) == end ? end : pieceStart(end));
        return done;
    }

    /** Reads exactly [offset, offset + want) with one request per chunk touched; holes read as zeros. */
    private int readExact(long offset, int want, ByteBuffer dst) throws GrainException {
        int done = 0;
        while (done < want) {
            long at = offset + done;
            long idx = at / chunkSize;
            int len = (int) Math.min(want - done, (idx + 1) * chunkSize - at);
            ByteBuf data = null;
            for (int attempt = 0; data == null; attempt++) {
                try {
                    ChunkLocation loc = location(idx);
                    if (loc == null || loc.getReplicasCount() == 0) {
                        data = Unpooled.EMPTY_BUFFER;
                    } else {
                        List<ServerAddress> order = new ArrayList<>(loc.getReplicasList());
                        java.util.Collections.rotate(order, (int) ((seed + idx) % order.size()));
                        data = attempt(loc, order, 0, at - idx * chunkSize, len).join();
                    }
                } catch (RuntimeException e) {
                    if (attempt > 0) {
                        throw GrainException.from(e);
                    }
                    locations.clear(); // stale locations: ask the master again once
                    fetchedBatches.clear();
                }
            }
            try {
                int have = Math.min(len, data.readableBytes());
                data.getBytes(data.readerIndex(), dst.slice(dst.position() + done, have));
                for (int k = have; k < len; k++) {
                    dst.put(dst.position() + done + k, (byte) 0);
                }
            } finally {
                data.release();
            }
            done += len;
        }
        dst.position(dst.position() + done);
        return done;
    }

    private ByteBuf await(long piece) throws GrainException {
        CompletableFuture<ByteBuf> f = pieces.get(piece);
        try {
            return f.join();
        } catch (RuntimeException e) {
            pieces.remove(piece);
            // the async attempt failed: retry synchronously with fresh locations
            locations.clear();
            fetchedBatches.clear();
            CompletableFuture<ByteBuf> again = fetchPiece(piece);
            pieces.put(piece, again);
            try {
                return again.join();
            } catch (RuntimeException e2) {
                pieces.remove(piece);
                throw GrainException.from(e2);
            }
        }
    }

    private void dropPieces(long before) {
        for (Iterator<Map.Entry<Long, CompletableFuture<ByteBuf>>> it = pieces.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, CompletableFuture<ByteBuf>> e = it.next();
            if (e.getKey() >= before && before != Long.MAX_VALUE) {
                break;
            }
            it.remove();
            aheadUnused.remove(e.getKey());
            e.getValue().whenComplete((b, err) -> {
                if (b != null) {
                    b.release();
                }
            });
        }
    }

    private long pieceStart(long off) {
        long c = off / chunkSize * chunkSize;
        return c + (off - c) / pieceBytes * pieceBytes;
    }

    private long pieceEnd(long start) {
        long chunkEnd = (start / chunkSize + 1) * chunkSize;
        return Math.min(chunkEnd, start + pieceBytes);
    }

    /** Sends the read of one piece to a replica; fails over to the others. Holes read as zeros. */
    private CompletableFuture<ByteBuf> fetchPiece(long start) {
        long idx = start / chunkSize;
        ChunkLocation loc;
        try {
            loc = location(idx);
        } catch (GrainException e) {
            return CompletableFuture.failedFuture(e);
        }
        int len = (int) (Math.min(pieceEnd(start), Math.max(start, knownSize)) - start);
        if (loc == null || len <= 0) {
            return CompletableFuture.completedFuture(Unpooled.EMPTY_BUFFER);
        }
        List<ServerAddress> order = new ArrayList<>(loc.getReplicasList());
        if (order.isEmpty()) {
            return CompletableFuture.failedFuture(GrainException.of(StatusCode.EIO,
                    "chunk %d of inode %d: no live replica", idx, inode));
        }
        // spread readers over the replicas, but read from this machine's own replica when there is one
        java.util.Collections.rotate(order, (int) ((seed + idx) % order.size()));
        order.sort(java.util.Comparator.comparingInt(a -> LocalHosts.isLocal(a.getHost()) ? 0 : 1));
        return attempt(loc, order, 0, start - idx * chunkSize, len);
    }

    private CompletableFuture<ByteBuf> attempt(ChunkLocation loc, List<ServerAddress> order, int i, long off, int len) {
        ServerAddress a = order.get(i % order.size());
        Request req = Request.newBuilder().setReadChunk(ReadChunkRequest.newBuilder().setHandle(loc.getHandle())
                .setVersion(loc.getVersion()).setOffset(off).setLength(len)).setChunkToken(loc.getToken()).build();
        return ctx.rpc().call(FileWriter.address(a), req, ctx.config().callTimeoutMs())
                .handle((reply, err) -> {
                    if (err == null) {
                        return CompletableFuture.completedFuture(reply.payload());
                    }
                    GrainException g = GrainException.from(err);
                    if (g.status() == StatusCode.ECORRUPT) {
                        reportBad(loc.getHandle(), a.getServerId(), g.getMessage());
                    }
                    if (i + 1 >= Math.min(order.size(), MAX_ATTEMPTS)) {
                        return CompletableFuture.<ByteBuf>failedFuture(g);
                    }
                    return attempt(loc, order, i + 1, off, len);
                }).thenCompose(x -> x);
    }

    private void reportBad(long handle, String server, String reason) {
        Request.Builder r = Request.newBuilder().setReportBadReplica(ReportBadReplicaRequest.newBuilder()
                .setHandle(handle).setServerId(server).setReason(reason));
        CompletableFuture.runAsync(() -> {
            try {
                ctx.master().call(ctx.config().caller(), r);
            } catch (GrainException ignored) {
                // the chunkserver reports its corrupt replica in its heartbeat too
            }
        });
    }

    private ChunkLocation location(long idx) throws GrainException {
        long batch = idx / LOCATION_BATCH;
        Long fetchedNs = fetchedBatches.get(batch);
        // refetched well before the chunk access tokens in them expire
        if (fetchedNs == null || System.nanoTime() - fetchedNs > LOCATION_MAX_AGE_NS) {
            GetLocationsResponse r = ctx.master().call(ctx.config().caller(), Request.newBuilder().setGetLocations(
                    GetLocationsRequest.newBuilder().setInode(inode).setFirstIndex(batch * LOCATION_BATCH)
                            .setCount(LOCATION_BATCH))).getLocations();
            for (ChunkLocation c : r.getChunksList()) {
                locations.put(c.getIndex(), c);
            }
            knownSize = Math.max(knownSize, r.getAttr().getSize());
            fetchedBatches.put(batch, System.nanoTime());
        }
        return locations.get(idx);
    }

    private void refreshSize() throws GrainException {
        GetLocationsResponse r = ctx.master().call(ctx.config().caller(), Request.newBuilder().setGetLocations(
                GetLocationsRequest.newBuilder().setInode(inode).setFirstIndex(0).setCount(1))).getLocations();
        if (r.getAttr().getSize() != knownSize) {
            knownSize = r.getAttr().getSize();
            locations.clear();
            fetchedBatches.clear();
        }
    }

    void close() {
        dropPieces(Long.MAX_VALUE);
    }

    /** Reply payload ownership helper for callers that need the raw reply. */
    static void closeQuietly(Reply r) {
        if (r != null) {
            r.close();
        }
    }
}
