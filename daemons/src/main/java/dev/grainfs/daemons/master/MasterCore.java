package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.lease.LeaseManager;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.placement.ReplicaPlacement;
import dev.grainfs.daemons.master.replication.ReplicationMonitor;
import dev.grainfs.daemons.master.server.ServerInfo;
import dev.grainfs.daemons.master.server.ServerRegistry;
import dev.grainfs.daemons.master.state.MasterState;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The master's state and the lock that guards it, with the one way to change durable state:
 * {@link #submit} applies an op and appends it to the journal under the write lock; nothing is
 * answered before the op is durable: namespace mutations return a {@link Durable} that the
 * {@link Committer} sends after the shared fsync, and paths that block anyway (leases, registration)
 * call {@link #sync} outside the lock. Replica deletions wait for durability too. With a shadow
 * master synchronous, durable means on this master's disk and acknowledged by the shadow
 * ({@link ShadowFeed}).
 *
 * Lock order: take {@link #lock} before touching state, registry, leases or placement.
 */
public final class MasterCore {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final MasterConfig config;
    final MasterState state;
    final ServerRegistry servers = new ServerRegistry();
    final LeaseManager leases;
    final ReplicaPlacement placement = new ReplicaPlacement(64L << 20);
    private final Journal journal;
    final HealingConfig healing;
    /** Re-replication, extra and corrupt replicas (guarded by {@link #lock} like the rest). */
    final ReplicationMonitor replication;
    /** Moves replicas from full servers to empty ones while an operator's balance runs (under {@link #lock}). */
    final dev.grainfs.daemons.master.balancer.Balancer balancer;
    final MasterMetrics metrics;
    /** Replica deletions waiting for the op that freed them to be durable, in txid order. */
    private final java.util.ArrayDeque<DeferredDeletion> deferredDeletions = new java.util.ArrayDeque<>();
    /** The shadow master's log stream; answers wait for the shadow's acknowledgement too. */
    final ShadowFeed shadows;
    /** True on a shadow master: it learns replica locations from reports but orders nothing. */
    volatile boolean follower;
    /** Rises with each failover; chunkservers and clients refuse orders from an older epoch. */
    volatile long epoch = 1;

    MasterCore(MasterConfig config, HealingConfig healing, MasterState state, Journal journal, MasterMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.state = state;
        this.journal = journal;
        this.shadows = new ShadowFeed(ShadowFeed.DEFAULT_TIMEOUT_MS, journal.lastTxid());
        this.leases = new LeaseManager(config.leaseMs());
        this.healing = healing;
        this.replication = new ReplicationMonitor(state.chunks(), servers, leases, placement,
                healing.maxCopiesPerServer(), healing.copyTimeoutMs());
        this.balancer = new dev.grainfs.daemons.master.balancer.Balancer(state.chunks(), servers, leases, replication,
                4 * config.heartbeatMs(), 64L << 20);
    }

    long epoch() {
        return epoch;
    }

    /** The epoch of a newer master this one has heard of (0: none): it then refuses every change. */
    private volatile long fencedBy;

    /**
     * Notes the epoch a peer (a chunkserver) has seen; a higher one than ours means a shadow was
     * promoted while we were away, and this master steps down for good.
     */
    void noteEpoch(long seen) {
        if (seen > epoch && seen > fencedBy) {
            fencedBy = seen;
            org.slf4j.LoggerFactory.getLogger(MasterCore.class).warn("FENCED: a master of epoch {} is active (this "
                    + "one is of epoch {}): refusing every change; restart this machine as the shadow of the "
                    + "new master", seen, epoch);
        }
    }

    /** Why this master stepped down on its own (lost its ZooKeeper leadership), or null. */
    private volatile String deposed;

    /** Steps down for good without knowing the new epoch: every change is refused from now on. */
    void depose(String why) {
        if (deposed == null) {
            deposed = why;
            org.slf4j.LoggerFactory.getLogger(MasterCore.class).warn("FENCED: this master (epoch {}) {}: refusing "
                    + "every change; restart this machine as the shadow of the new master", epoch, why);
        }
    }

    /** Throws ENOTACTIVE once a newer master is known. */
    void refuseIfFenced() throws GrainException {
        String why = deposed;
        if (why != null) {
            throw GrainException.of(dev.grainfs.core.wire.proto.StatusCode.ENOTACTIVE, "this master (epoch %d) %s: "
                    + "send changes to the active master", epoch, why);
        }
        if (fencedBy > 0) {
            throw GrainException.of(dev.grainfs.core.wire.proto.StatusCode.ENOTACTIVE, "this master (epoch %d) was "
                    + "replaced by a master of epoch %d: send changes to the active master", epoch, fencedBy);
        }
    }

    boolean fenced() {
        return fencedBy > 0 || deposed != null;
    }

    /** Master wall clock in ns for op timestamps. */
    long nowNs() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** Monotonic ms for leases and heartbeats. */
    long monoMs() {
        return System.nanoTime() / 1_000_000L;
    }

    /** Result of a submitted op: its log position and the chunks it freed. */
    record Applied(long txid, List<ChunkInfo> freed) {
    }

    /** Applies and logs {@code op}; caller holds the write lock. Throws (changing nothing) if the op is invalid. */
    Applied submit(MasterOp op) throws GrainException {
        if (!lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("submit without the write lock");
        }
        List<ChunkInfo> freed = state.apply(op);
        long txid;
        try {
            txid = journal.append(op);
        } catch (IOException e) {
            // the op is in memory but cannot be made durable: the master must not go on
            throw new JournalFailure(e);
        }
        shadows.offer(txid, op);
        for (ChunkInfo c : freed) {
            scheduleDeletion(c, txid);
        }
        return new Applied(txid, freed);
    }

    /** Txid of the last op logged (durable or not). */
    long lastTxid() {
        return journal.lastTxid();
    }

    /** Ops up to this txid are durable here and, when a shadow is synchronous, on the shadow too. */
    long committedTxid() {
        return Math.min(journal.durableTxid(), shadows.shadowTxid());
    }

    void sync(long txid) throws GrainException {
        long start = System.nanoTime();
        try {
            journal.sync(txid);
            metrics.logSynced(System.nanoTime() - start);
            shadows.awaitShadow(txid);
        } catch (IOException e) {
            throw new JournalFailure(e);
        }
    }

    /**
     * Queues the deletion of every replica of a chunk freed by op {@code txid}. The servers are told
     * only once that op is durable ({@link #releaseDurableDeletions}): a crash before would bring the
     * file back, and its data must still be there.
     */
    private void scheduleDeletion(ChunkInfo c, long txid) {
        for (int slot : c.replicas()) {
            servers.bySlot(slot).adjustChunkCount(-1);
        }
        deferredDeletions.addLast(new DeferredDeletion(txid, c.handle(), c.replicas()));
        c.clearReplicas();
        leases.revoke(c.handle());
    }

    /**
     * Queues the deletion of a replica the state has no use for (unknown handle, stale version), once
     * every op applied so far is durable: the state that says so might otherwise not survive a crash.
     * Caller holds the write lock.
     */
    void deleteReplicaWhenDurable(ServerInfo s, long handle) {
        deferredDeletions.addLast(new DeferredDeletion(journal.lastTxid(), handle, new int[] {s.slot()}));
    }

    /** Moves the deletions of durable ops to their servers' pending lists; caller holds the write lock. */
    void releaseDurableDeletions() {
        long durable = committedTxid();
        while (!deferredDeletions.isEmpty() && deferredDeletions.peekFirst().txid() <= durable) {
            DeferredDeletion d = deferredDeletions.pollFirst();
            for (int slot : d.slots()) {
                ServerInfo s = servers.bySlot(slot);
                if (s.isLive()) {
                    s.pendingDeletes().add(d.handle());
                }
            }
        }
    }

    private record DeferredDeletion(long txid, long handle, int[] slots) {
    }

    /** An answer to send once op {@code txid} is durable (txid -1: nothing was logged, send it now). */
    record Durable(Response.Builder response, long txid) {
        static Durable now(Response.Builder response) {
            return new Durable(response, -1);
        }
    }

    /** The journal failed: the master stops acknowledging anything. */
    static final class JournalFailure extends RuntimeException {
        JournalFailure(IOException e) {
            super("operation log failed: " + e.getMessage(), e);
        }
    }
}
