package dev.grainfs.daemons.master;

import dev.grainfs.daemons.master.op.MasterOp;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's end of the shadow's log stream: keeps the newest logged ops in memory for the shadow
 * to pull, takes its acknowledgements, and tells the {@link Committer} when an op is on the shadow too.
 *
 * <pre>
 *   detached --a pull that reaches the master's last txid, then its ack--> synchronous
 *   synchronous --no ack within timeoutMs of an op being waited for--> detached (WARN)
 * </pre>
 * While synchronous, no answer goes out before the shadow acknowledged its op; while detached (no
 * shadow, or one that fell away or is catching up) the master answers on its own fsync alone.
 *
 * Threading: {@link #offer} under the master's write lock; {@link #pull} on a worker thread (it
 * blocks for a new record); {@link #awaitShadow} on the committer (it blocks for the ack). All
 * state is guarded by this object's monitor.
 */
public final class ShadowFeed {
    private static final Logger log = LoggerFactory.getLogger(ShadowFeed.class);
    /** Ops kept for a shadow that is behind; one further behind fetches a snapshot. */
    static final int KEEP_OPS = 100_000;
    /** Bytes of ops sent in one pull (the frame payload limit is 16 MiB). */
    static final int MAX_PULL_BYTES = 4 << 20;

    /** What a pull gets: the ops after its txid, or null ops when it must fetch a snapshot. */
    record Batch(List<MasterOp> ops, long firstTxid, long lastTxid) {
    }

    /** The shadow as the master sees it (status page, report). */
    public record View(String id, String address, boolean synchronous, long ackedTxid, long lagOps, long lastSeenMs) {
    }

    static final long DEFAULT_TIMEOUT_MS = 5_000;

    private volatile long timeoutMs;
    /** The newest ops, op txid at slot txid % KEEP_OPS, for txids firstKept..lastTxid. */
    private final MasterOp[] kept = new MasterOp[KEEP_OPS];
    private long firstKept;
    private long lastTxid;
    private String shadowId;
    private String shadowAddress;
    private long ackedTxid;
    private boolean synchronous;
    /** A detached shadow becomes synchronous once it acknowledges this txid (-1: not catching up). */
    private long catchUpTxid = -1;
    private long lastSeenMs;

    ShadowFeed(long timeoutMs, long lastTxid) {
        this.timeoutMs = timeoutMs;
        this.lastTxid = lastTxid;
        this.firstKept = lastTxid + 1;
    }

    long timeoutMs() {
        return timeoutMs;
    }

    /** How long an answer waits for a silent shadow before the master goes on alone. */
    void timeoutMs(long ms) {
        if (ms < 1) {
            throw new IllegalArgumentException("shadow timeout must be positive, got " + ms + " ms");
        }
        timeoutMs = ms;
    }

    /** Keeps a logged op for the shadow; caller holds the master's write lock, txids come in order. */
    synchronized void offer(long txid, MasterOp op) {
        kept[slot(txid)] = op;
        lastTxid = txid;
        firstKept = Math.max(firstKept, txid - KEEP_OPS + 1);
        notifyAll();
    }

    /**
     * A shadow's pull: records its acknowledgement, then returns the ops after {@code afterTxid}, waiting
     * up to {@code waitMs} for one. Returns null when those ops are no longer kept (the shadow fetches a
     * snapshot).
     */
    synchronized Batch pull(String id, String address, long afterTxid, long durableTxid, long waitMs)
            throws InterruptedException {
        if (shadowId != null && !shadowId.equals(id) && synchronous) {
            log.warn("shadow {} at {} replaces shadow {}: waiting for it to catch up", id, address, shadowId);
            synchronous = false;
        }
        shadowId = id;
        shadowAddress = address;
        lastSeenMs = System.currentTimeMillis();
        ack(durableTxid);
        if (afterTxid > lastTxid || afterTxid + 1 < firstKept) {
            return null; // ahead (ops this master never made durable) or behind what is kept
        }
        long deadline = System.nanoTime() + waitMs * 1_000_000;
        while (lastTxid <= afterTxid) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Batch(List.of(), afterTxid + 1, lastTxid);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        if (afterTxid + 1 < firstKept) {
            return null; // overtaken while waiting
        }
        List<MasterOp> ops = new ArrayList<>();
        long bytes = 0;
        long last = afterTxid;
        while (last < lastTxid && bytes < MAX_PULL_BYTES) {
            MasterOp op = kept[slot(++last)];
            ops.add(op);
            bytes += op.getSerializedSize() + 4;
        }
        if (!synchronous && catchUpTxid < 0 && last == lastTxid) {
            catchUpTxid = last; // this batch brings the shadow level with the master
        }
        return new Batch(ops, afterTxid + 1, lastTxid);
    }

    private static int slot(long txid) {
        return (int) (txid % KEEP_OPS);
    }

    /** A snapshot was taken for the shadow at {@code txid}: it continues with the ops after it. */
    synchronized void snapshotTaken(long txid) {
        lastSeenMs = System.currentTimeMillis();
        if (synchronous) {
            log.warn("shadow {} asked for a snapshot: answering without it until it catches up", shadowId);
            synchronous = false;
        }
        catchUpTxid = -1;
    }

    private void ack(long durableTxid) {
        if (durableTxid > lastTxid) {
            return; // ops this master does not have (it lost unsynced ones in a crash): the shadow refetches
        }
        if (durableTxid > ackedTxid || !synchronous) {
            ackedTxid = durableTxid;
        }
        boolean caughtUp = ackedTxid == lastTxid || (catchUpTxid >= 0 && ackedTxid >= catchUpTxid);
        if (!synchronous && caughtUp) {
            synchronous = true;
            catchUpTxid = -1;
            log.info("shadow {} at {} is synchronous at txid {}: mutations are answered once it has them too",
                    shadowId, shadowAddress, ackedTxid);
        }
        notifyAll();
    }

    /**
     * Waits until the shadow acknowledged {@code txid}, if a shadow is synchronous; returns at once if
     * none is. A shadow silent for the timeout is dropped (logged as a WARN) and the master goes on alone.
     * Caller: the committer, after the local fsync.
     */
    synchronized void awaitShadow(long txid) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (synchronous && ackedTxid < txid) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                synchronous = false;
                catchUpTxid = -1;
                log.warn("SHADOW LOST: shadow {} at {} did not acknowledge txid {} within {} ms; the master goes on "
                        + "alone and acknowledged changes are on this master only until the shadow catches up",
                        shadowId, shadowAddress, txid, timeoutMs);
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Ops up to this txid are on the shadow, or there is no synchronous shadow (Long.MAX_VALUE). */
    synchronized long shadowTxid() {
        return synchronous ? ackedTxid : Long.MAX_VALUE;
    }

    /** The shadow that pulled last, or null if none ever did. */
    synchronized View view() {
        if (shadowId == null) {
            return null;
        }
        return new View(shadowId, shadowAddress, synchronous, ackedTxid, Math.max(0, lastTxid - ackedTxid),
                lastSeenMs);
    }
}
