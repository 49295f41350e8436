package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.RpcServer;
import dev.grainfs.daemons.master.journal.OpLogOptions;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.storage.MasterStorage;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadow master process: a hot copy of the master's state in its own meta dir, fed by the
 * master's log stream ({@link ShadowLink}), serving read-only metadata ({@link ShadowRpc}).
 *
 * <pre>
 *   ShadowLink:  pull(after = my last txid, ack = my durable txid) -> apply + append each op -> fsync -> pull ...
 *                snapshot_needed -> read the master's snapshot -> install it in the meta dir -> pull ...
 * </pre>
 * Every op goes through the same {@link MasterCore#submit} (MasterState.apply + the log) as on the
 * master, so the shadow's log and checkpoints recover exactly as a master's do.
 */
public final class ShadowMaster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShadowMaster.class);

    /** What the shadow serves from: the state, its log, the services over them; replaced by a snapshot. */
    record Replica(MasterCore core, MasterStorage storage, NamespaceService namespace, ChunkService chunks,
                   ServerService servers) {
    }

    /** The shadow as its status shows it. */
    public record Status(HostPort master, boolean connected, long appliedTxid, long masterTxid, long epoch) {
        public long lagOps() {
            return Math.max(0, masterTxid - appliedTxid);
        }
    }

    private final MasterConfig config;
    private final HostPort master;
    private final WireSecurity security;
    private final RpcClient rpc;
    private final ScheduledExecutorService timers = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(Master.daemon("shadow-timer"));
    private final Exports exports;
    private volatile Replica replica;
    private RpcServer server;
    private ShadowLink link;
    private HostPort address;
    private volatile long lastCheckpointMs = System.currentTimeMillis();
    private final HealingConfig healing;
    private boolean promoting; // guarded by this
    private volatile Master promoted;
    private volatile LeaderElection election;
    private volatile boolean closed;
    /** Automatic promotion waits this long for the shadow to catch up before it only logs and keeps trying. */
    static final long CATCH_UP_WAIT_MS = 10_000;

    private ShadowMaster(MasterConfig config, HealingConfig healing, HostPort master, WireSecurity security,
                         Exports exports, Replica replica) {
        this.config = config;
        this.healing = healing;
        this.master = master;
        this.security = security;
        this.exports = exports;
        this.rpc = new RpcClient("shadow", 1, security);
        this.replica = replica;
    }

    /** Recovers the shadow's own meta dir (empty at first) and builds a shadow ready to {@link #start()}. */
    public static ShadowMaster open(MasterConfig config, HostPort master, WireSecurity security, Exports exports)
            throws IOException {
        return open(config, HealingConfig.defaults(), master, security, exports);
    }

    /** ... with the self-healing settings it runs with once promoted. */
    public static ShadowMaster open(MasterConfig config, HealingConfig healing, HostPort master, WireSecurity security,
                                    Exports exports) throws IOException {
        return new ShadowMaster(config, healing, master, security, exports, recover(config, security));
    }

    private static Replica recover(MasterConfig config, WireSecurity security) throws IOException {
        MasterStorage.Recovered r = MasterStorage.recover(config.metaDir(), OpLogOptions.defaults());
        MasterCore core = new MasterCore(config, HealingConfig.defaults(), r.state(), r.storage(), new MasterMetrics());
        core.follower = true;
        SafeMode safeMode = new SafeMode(core, config.safeMode());
        dev.grainfs.core.security.ChunkTokens tokens =
                security.key() == null ? null : new dev.grainfs.core.security.ChunkTokens(security.key());
        return new Replica(core, r.storage(), new NamespaceService(core), new ChunkService(core, null, safeMode, tokens),
                new ServerService(core, safeMode, tokens));
    }

    /** Starts serving reads on the configured port and following the master; returns the bound address. */
    public HostPort start() throws IOException {
        server = new RpcServer("shadow", new ShadowRpc(this::replica, master, exports, this::promote), 2, security);
        address = server.start(config.bindHost(), config.port());
        link = new ShadowLink(this, rpc, master, "shadow@" + address, address.toString());
        link.start();
        timers.scheduleWithFixedDelay(this::maybeCheckpoint, 1, 1, TimeUnit.SECONDS);
        if (election != null) {
            Thread t = new Thread(this::joinElectionOnceFollowing, "shadow-election");
            t.setDaemon(true);
            t.start();
        }
        log.info("shadow master listening on {}, following the master at {}", address, master);
        dev.grainfs.daemons.security.SecurityLog.announce(log, "shadow", security);
        return address;
    }

    public HostPort address() {
        return address;
    }

    /**
     * Automatic failover (call before {@link #start()}): once it follows the master, the shadow joins
     * {@code election} (not yet started); when the leadership comes to it, it promotes itself as
     * {@code grainfs failover} does, but only when caught up with the master it last heard from: if
     * it is behind (it was not synchronous when the master went) it waits {@link #CATCH_UP_WAIT_MS}
     * for the stream to resume, then logs loudly and keeps trying without losing anything; an
     * operator can then promote it with {@code grainfs failover --force}.
     */
    public ShadowMaster withElection(LeaderElection e) {
        election = e;
        e.onGain(() -> {
            Thread t = new Thread(this::promoteWhenCaughtUp, "shadow-auto-promotion");
            t.setDaemon(true);
            t.start();
        });
        return this;
    }

    private void joinElectionOnceFollowing() {
        try {
            while (!closed && !link.connected()) {
                Thread.sleep(100);
            }
            if (!closed) {
                election.start(30_000);
                log.info("shadow at {} joined the ZooKeeper election: it promotes itself when the master's "
                        + "leadership ends", address);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.error("AUTOMATIC FAILOVER OFF: shadow at {} cannot join the election: {}", address, e.getMessage());
        }
    }

    private void promoteWhenCaughtUp() {
        long start = System.currentTimeMillis();
        long lastLog = 0;
        while (!closed && election.isLeader()) {
            try {
                long epoch = promote(false);
                log.warn("AUTOMATIC FAILOVER: shadow at {} promoted itself (epoch {}) after the master's leadership "
                        + "ended", address, epoch);
                return;
            } catch (GrainException e) {
                if (e.status() != dev.grainfs.core.wire.proto.StatusCode.EAGAIN) {
                    log.info("automatic promotion: {}", e.getMessage());
                    return; // being promoted already (grainfs failover)
                }
                long now = System.currentTimeMillis();
                if (now - start >= CATCH_UP_WAIT_MS && now - lastLog >= CATCH_UP_WAIT_MS) {
                    lastLog = now;
                    log.error("AUTOMATIC FAILOVER HELD: this shadow leads but {}; it keeps waiting", e.getMessage());
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    Replica replica() {
        return replica;
    }

    public Status status() {
        Replica r = replica;
        return new Status(master, link != null && link.connected(), r.storage().lastTxid(),
                link == null ? 0 : link.masterTxid(), link == null ? 0 : link.epoch());
    }

    /** Txid of the last op the shadow has applied (tests). */
    public long appliedTxid() {
        return replica.storage().lastTxid();
    }

    /** Reads the shadow's state under its read lock (tests). */
    public <T> T read(java.util.function.Function<MasterCore, T> f) {
        MasterCore core = replica.core();
        core.lock.readLock().lock();
        try {
            return f.apply(core);
        } finally {
            core.lock.readLock().unlock();
        }
    }

    /**
     * Applies ops the master logged as {@code firstTxid, firstTxid + 1, ...} and makes them durable.
     * Called by the link thread only. Throws if an op does not continue this shadow's log or does not
     * apply: the shadow diverged and must fetch a snapshot.
     */
    void apply(long firstTxid, java.util.List<MasterOp> ops) throws IOException, GrainException {
        Replica r = replica;
        MasterCore core = r.core();
        long txid = firstTxid;
        core.lock.writeLock().lock();
        try {
            for (MasterOp op : ops) {
                if (txid != core.lastTxid() + 1) {
                    throw new IOException("op " + txid + " does not follow the shadow's last op " + core.lastTxid());
                }
                core.submit(op);
                txid++;
            }
            core.releaseDurableDeletions(); // nothing to tell chunkservers here: only drains the queue
        } finally {
            core.lock.writeLock().unlock();
        }
        r.storage().sync(core.lastTxid());
    }

    /** Replaces the state with the master's snapshot at {@code txid}. Called by the link thread only. */
    synchronized void install(long txid, byte[] image, int length) throws IOException {
        Replica old = replica;
        old.storage().close();
        MasterStorage.install(config.metaDir(), txid, image, length);
        replica = recover(config, security);
        lastCheckpointMs = System.currentTimeMillis();
    }

    /**
     * {@code grainfs failover}: stops following, raises the epoch above the old master's (persisted in
     * the meta dir), answers, then reopens the meta dir as an active {@link Master} on the same port.
     * The chunkservers, which report here too, register with it at their next heartbeat.
     */
    long promote(boolean force) throws GrainException {
        synchronized (this) {
            if (promoting) {
                throw GrainException.of(dev.grainfs.core.wire.proto.StatusCode.EINVAL, "already being promoted");
            }
            long behind = link.masterTxid() - appliedTxid();
            if (behind > 0 && !force) {
                // it was not synchronous when the master went: changes the master acknowledged alone would be lost
                throw GrainException.of(dev.grainfs.core.wire.proto.StatusCode.EAGAIN, "shadow at %s is %d records "
                        + "behind the master it last heard from (txid %d): promoting it would lose them; bring the "
                        + "master back, or promote anyway with --force", address, behind, link.masterTxid());
            }
            promoting = true;
        }
        link.close(); // no op arrives after this: the state is what the old master acknowledged, at least
        long epoch;
        try {
            epoch = Math.max(Math.max(link.epoch(), EpochFile.read(config.metaDir())),
                    election == null || !election.isLeader() ? 0 : election.recordedEpoch()) + 1;
            EpochFile.write(config.metaDir(), epoch);
        } catch (IOException e) {
            throw GrainException.of(dev.grainfs.core.wire.proto.StatusCode.EIO, "cannot write the epoch: %s",
                    e.getMessage());
        }
        log.warn("PROMOTION: shadow at {} becomes the active master with epoch {} (it had txid {})", address, epoch,
                appliedTxid());
        Thread t = new Thread(() -> becomeMaster(epoch), "shadow-promotion");
        t.setDaemon(true);
        t.start();
        return epoch;
    }

    private void becomeMaster(long epoch) {
        try {
            Thread.sleep(100); // the promote answer goes out on the server about to close
            server.close();
            timers.shutdownNow();
            synchronized (this) {
                replica.storage().close();
            }
            Master m = Master.open(config.withPort(address.port()), healing, security, exports);
            if (election != null) {
                m.withElection(election); // active while it leads, as any master with ZooKeeper
            }
            m.start();
            promoted = m;
            log.warn("PROMOTED: the active master is now {} (epoch {})", address, m.epoch());
        } catch (IOException | RuntimeException e) {
            log.error("promotion failed: {}; restart this process as `grainfs master` on its meta dir", e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The active master this shadow became, or null (not promoted, or still switching over). */
    public Master promoted() {
        return promoted;
    }

    private void maybeCheckpoint() {
        if (replica.storage().checkpointDue(config.checkpointRecords(), config.checkpointMs(), lastCheckpointMs)) {
            try {
                checkpoint();
            } catch (IOException | RuntimeException e) {
                log.error("shadow checkpoint failed: {}", e.getMessage(), e);
            }
        }
    }

    /** Writes a checkpoint of the shadow's state now; returns the txid it covers. */
    public synchronized long checkpoint() throws IOException {
        Replica r = replica;
        long txid = r.storage().checkpoint(() -> read(c -> {
            try {
                return MasterStorage.Snapshot.of(r.storage().lastTxid(), c.state);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        lastCheckpointMs = System.currentTimeMillis();
        return txid;
    }

    @Override
    public void close() {
        closed = true;
        Master m = promoted;
        if (m != null) {
            m.close();
            return;
        }
        if (election != null) {
            election.close();
        }
        if (link != null) {
            link.close();
        }
        if (server != null) {
            server.close();
        }
        timers.shutdownNow();
        rpc.close();
        try {
            replica.storage().close();
        } catch (IOException e) {
            log.warn("closing the shadow's operation log: {}", e.getMessage());
        }
    }
}
