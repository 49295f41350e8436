package dev.grainfs.daemons.chunkserver;

import com.google.protobuf.ByteString;
import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.proto.ReadChunkRequest;
import dev.grainfs.core.wire.proto.ReplicateCommand;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.StatusCode;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-replication on the target side: copies a chunk from a source chunkserver with ReadChunk, in
 * pieces (the next piece is read while the last one is written), never through the master.
 *
 * <pre>
 * create replica at version 0   -- a copy cut short (crash) is stale by its version and gets deleted
 * read piece k+1 from source    -- the source verifies its CRCs before sending
 * write piece k locally         -- on the chunk's disk stripe; the store computes the CRCs
 * sync, verify every block, set the master's version, report "added"
 * </pre>
 *
 * A failed copy deletes what it wrote and reports the chunk "removed", so the master reschedules it.
 */
final class ReplicaCopier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaCopier.class);
    static final int PIECE = 4 << 20;
    private static final long READ_TIMEOUT_MS = 30_000;

    private final StoreAdapter store;
    private final RpcClient peers;
    private final ChunkReports reports;
    private final DiskExecutors disk;
    private final Throttle throttle;
    private final Runnable onDone;
    private final java.util.function.LongConsumer forget;
    private final ExecutorService pool;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    final AtomicLong copied = new AtomicLong();
    final AtomicLong bytesCopied = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    ReplicaCopier(StoreAdapter store, RpcClient peers, ChunkReports reports, DiskExecutors disk, RepairConfig config,
                  java.util.function.LongConsumer forget, Runnable onDone) {
        this.store = store;
        this.peers = peers;
        this.reports = reports;
        this.disk = disk;
        this.throttle = new Throttle(config.copyBytesPerSec());
        this.onDone = onDone;
        this.forget = forget;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.maxCopies(), r -> {
            Thread t = new Thread(r, "replica-copy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Copies currently running or queued. */
    int active() {
        return active.get();
    }

    /** Queues a copy the master ordered; a copy of a chunk already being copied is ignored. */
    void submit(ReplicateCommand c) {
        if (!running.add(c.getHandle())) {
            return;
        }
        active.incrementAndGet();
        try {
            pool.execute(() -> {
                try {
                    copy(c);
                } finally {
                    forget.accept(c.getHandle()); // the data path's cached length of the old replica is void
                    running.remove(c.getHandle());
                    active.decrementAndGet();
                    onDone.run();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            running.remove(c.getHandle());
            active.decrementAndGet();
        }
    }

    private void copy(ReplicateCommand c) {
        long h = c.getHandle();
        long v = c.getVersion();
        HostPort src = new HostPort(c.getSource().getHost(), c.getSource().getPort());
        long t0 = System.nanoTime();
        try {
            if (store.contains(h) && store.version(h) == v && !reports.isReportedCorrupt(h)) {
                reports.added(h, v, store.length(h)); // already here: a repeated order
                return;
            }
            onStripe(h, () -> {
                if (store.contains(h)) {
                    store.delete(h); // a stale or corrupt replica of ours
                }
                store.create(h, 0);
                return null;
            });
            long length = transfer(h, v, src, c.getToken());
            onStripe(h, () -> {
                store.sync(h);
                store.raw().verify(h);
                store.setVersion(h, v);
                return null;
            });
            reports.added(h, v, length);
            copied.incrementAndGet();
            bytesCopied.addAndGet(length);
            log.info("copied chunk {} v{} ({} bytes) from {} in {} ms", Long.toHexString(h), v, length,
                    c.getSource().getServerId(), (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            failed.incrementAndGet();
            log.warn("copy of chunk {} v{} from {} failed: {}", Long.toHexString(h), v, c.getSource().getServerId(),
                    GrainException.from(e).getMessage());
            try {
                onStripe(h, () -> {
                    if (store.contains(h) && store.version(h) != v) {
                        store.delete(h);
                    }
                    return null;
                });
            } catch (Exception ignored) {
                // the master deletes leftovers through the stale-version rule
            }
            reports.removed(h);
        }
    }

    /** Streams the replica from {@code src}; returns its length. */
    private long transfer(long h, long v, HostPort src, ByteString token) throws Exception {
        throttle.acquire(PIECE);
        CompletableFuture<Reply> next = read(src, h, v, 0, token);
        long off = 0;
        while (true) {
            long length;
            boolean more;
            try (Reply r = next.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                length = r.response().getReadChunk().getChunkLength();
                int n = r.payload().readableBytes();
                more = n > 0 && off + n < length;
                if (more) {
                    throttle.acquire(PIECE);
                    next = read(src, h, v, off + n, token);
                }
                if (n > 0) {
                    long at = off;
                    onStripe(h, () -> {
                        store.write(h, at, r.payload().nioBuffer());
                        return null;
                    });
                }
                off += n;
            }
            if (!more) {
                if (off < length) {
                    throw GrainException.of(StatusCode.EIO, "source sent %d of %d bytes", off, length);
                }
                return length;
            }
        }
    }

    /** {@code token} is the master's READ token from the command (empty without a cluster key). */
    private CompletableFuture<Reply> read(HostPort src, long h, long v, long off, ByteString token) {
        return peers.call(src, Request.newBuilder().setReadChunk(ReadChunkRequest.newBuilder().setHandle(h)
                .setVersion(v).setOffset(off).setLength(PIECE)).setChunkToken(token).build(), READ_TIMEOUT_MS);
    }

    @FunctionalInterface
    private interface StoreTask {
        Object run() throws Exception;
    }

    /** Runs a store task on the chunk's write stripe, after any mutation or delete queued before it. */
    private void onStripe(long h, StoreTask task) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        disk.writer(h).execute(() -> {
            try {
                task.run();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
