package dev.grainfs.daemons.master;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.ChunkTokens;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.RpcServer;
import dev.grainfs.daemons.master.journal.OpLogOptions;
import dev.grainfs.daemons.master.state.MasterState;
import dev.grainfs.daemons.master.storage.MasterStorage;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master process: recovers its state from the meta dir, serves RPCs, watches chunkserver
 * liveness. Start with {@link #start()}, stop with {@link #close()}.
 */
public final class Master implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Master.class);

    private final MasterConfig config;
    private final MasterCore core;
    private final RpcClient rpc;
    private final RpcServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final ServerService servers;
    private final SafeMode safeMode;
    private final Committer committer;
    private final HealingService healing;
    private final ClusterAdminService clusterAdmin;
    private HostPort address;

    private final MasterStorage storage;
    private final MasterMetrics metrics = new MasterMetrics();
    private final MasterStatus status;
    private dev.grainfs.core.http.HttpStatusServer http;
    private volatile long lastCheckpointMs = System.currentTimeMillis();

    /** Recovers the meta dir (checkpoint + log) and builds a master ready to {@link #start()}. */
    public static Master open(MasterConfig config) throws IOException {
        return open(config, HealingConfig.defaults(), WireSecurity.NONE, Exports.OPEN);
    }

    /** As {@link #open(MasterConfig)} with self-healing settings (re-replication limits, trash retention). */
    public static Master open(MasterConfig config, HealingConfig healing) throws IOException {
        return open(config, healing, WireSecurity.NONE, Exports.OPEN);
    }

    /** As {@link #open(MasterConfig)}, for a master that demands the cluster key (and TLS) of its peers. */
    public static Master open(MasterConfig config, WireSecurity security) throws IOException {
        return open(config, HealingConfig.defaults(), security, Exports.OPEN);
    }

    /** ... and with export rules (root squashing per client network, superuser group). */
    public static Master open(MasterConfig config, WireSecurity security, Exports exports) throws IOException {
        return open(config, HealingConfig.defaults(), security, exports);
    }

    public static Master open(MasterConfig config, HealingConfig healing, WireSecurity security, Exports exports)
            throws IOException {
        MasterStorage.Recovered r = MasterStorage.recover(config.metaDir(), OpLogOptions.defaults());
        Master m = new Master(config, healing, r.storage(), r.state(), security, exports);
        m.core.epoch = EpochFile.read(config.metaDir());
        return m;
    }

    private final WireSecurity security;

    private Master(MasterConfig config, HealingConfig healingConfig, MasterStorage storage, MasterState state,
                   WireSecurity security, Exports exports) {
        this.config = config;
        this.security = security;
        this.storage = storage;
        this.core = new MasterCore(config, healingConfig, state, storage, metrics);
        this.status = new MasterStatus(core);
        metrics.registerClusterGauges(status::summary);
        this.rpc = new RpcClient("master", 1, security);
        this.workers = Executors.newFixedThreadPool(32, daemon("master-worker"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("master-timer"));
        this.safeMode = new SafeMode(core, config.safeMode());
        ChunkTokens tokens = security.key() == null ? null : new ChunkTokens(security.key());
        this.servers = new ServerService(core, safeMode, tokens);
        TrashService trash = new TrashService(core);
        this.healing = new HealingService(core, trash).holdWhile(safeMode::isOn);
        NamespaceService namespace = new NamespaceService(core, trash);
        ChunkService chunks = new ChunkService(core, rpc, safeMode, tokens);
        AdminService admin = new AdminService(safeMode, this::checkpoint);
        this.clusterAdmin = new ClusterAdminService(core, status).holdWhile(safeMode::isOn);
        this.committer = new Committer(storage, core.shadows);
        this.server = new RpcServer("master", new MasterRpc(core, namespace, chunks, servers, admin, safeMode,
                committer, workers).withHealing(healing).withClusterAdmin(clusterAdmin).withExports(exports)
                .withShadow(new ShadowService(core)), 2, security).observer(metrics.daemon);
    }

    public HostPort start() throws IOException {
        address = server.start(config.bindHost(), config.port());
        long tick = Math.max(100, Math.min(1_000, config.deadAfterMs() / 4));
        timers.scheduleWithFixedDelay(this::liveness, tick, tick, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::maybeCheckpoint, 1, 1, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(this::safeModeTick, 250, 250, TimeUnit.MILLISECONDS);
        long scan = core.healing.scanIntervalMs();
        timers.scheduleWithFixedDelay(healing::scan, scan, scan, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(clusterAdmin::balancerTick, scan, scan, TimeUnit.MILLISECONDS);
        if (core.healing.trashRetentionMs() > 0) {
            long purge = healing.purgeIntervalMs();
            timers.scheduleWithFixedDelay(healing::purgeTrash, purge, purge, TimeUnit.MILLISECONDS);
        }
        log.info("master listening on {} (epoch {})", address, core.epoch());
        dev.grainfs.daemons.security.SecurityLog.announce(log, "master", security);
        return address;
    }

    /**
     * Serves the status page, /api/... and /metrics on {@code port} (0 = any free port) of the RPC
     * bind address; call after {@link #start}. Returns the bound address.
     */
    public HostPort startHttp(int port) throws IOException {
        http = MasterPages.routes(new dev.grainfs.core.http.HttpStatusServer("master"), status, metrics.daemon);
        return http.start(config.bindHost(), port);
    }

    /**
     * How long an answer waits for a silent shadow master before this master goes on alone (default 5 s).
     */
    public Master withShadowTimeoutMs(long ms) {
        core.shadows.timeoutMs(ms);
        return this;
    }

    /**
     * Automatic failover: this master is active only while it leads {@code election} (already joined
     * and leading). Refuses to be active if ZooKeeper records a newer epoch (this is an old master
     * restarted after a failover); steps down for good when the leadership is lost. Closed with it.
     */
    public Master withElection(LeaderElection e) throws IOException {
        election = e;
        e.onLoss(() -> {
            core.depose("lost its ZooKeeper leadership");
            // leave the election too: once reconnected it must not take the leadership back while fenced
            Thread t = new Thread(e::close, "master-leave-election");
            t.setDaemon(true);
            t.start();
        });
        long recorded = e.recordedEpoch();
        if (recorded > core.epoch()) {
            core.depose("found a master of epoch " + recorded + " recorded in ZooKeeper");
            e.close();
        } else {
            e.recordEpoch(core.epoch());
            if (!e.isLeader()) { // lost between winning and recording: someone else may be active by now
                core.depose("lost its ZooKeeper leadership");
            }
        }
        return this;
    }

    private volatile LeaderElection election;

    /** This master's epoch: 1, raised by each failover (tests, status). */
    public long epoch() {
        return core.epoch();
    }

    /** True once this master heard of a newer epoch and refuses changes (tests, status). */
    public boolean fenced() {
        return core.fenced();
    }

    /** The shadow master that pulls this master's log, or null if none ever did. */
    public ShadowFeed.View shadow() {
        return core.shadows.view();
    }

    /** The cached status summary and JSON views (tests, the report command). */
    public MasterStatus status() {
        return status;
    }

    private void liveness() {
        try {
            servers.checkLiveness();
        } catch (RuntimeException e) {
            log.error("liveness check failed", e);
        }
    }

    private void safeModeTick() {
        try {
            safeMode.tick();
        } catch (RuntimeException e) {
            log.error("safe mode check failed", e);
        }
    }

    /** True while the master refuses mutations (after a restart, or entered by an operator). */
    public boolean inSafeMode() {
        return safeMode.isOn();
    }

    private void maybeCheckpoint() {
        if (storage.checkpointDue(config.checkpointRecords(), config.checkpointMs(), lastCheckpointMs)) {
            try {
                checkpoint();
            } catch (IOException e) {
                log.error("checkpoint failed: {}", e.getMessage(), e);
            }
        }
    }

    /** Writes a checkpoint now; returns the txid it covers. */
    public long checkpoint() throws IOException {
        long txid = storage.checkpoint(() -> read(c -> {
            try {
                return MasterStorage.Snapshot.of(storage.lastTxid(), c.state);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        lastCheckpointMs = System.currentTimeMillis();
        return txid;
    }

    /** Server ids holding a current replica of a chunk, as the master believes (tests, fsck). */
    public java.util.List<String> replicasOf(long handle) {
        return read(c -> {
            var chunk = c.state.chunks().get(handle);
            java.util.List<String> out = new java.util.ArrayList<>();
            if (chunk != null) {
                for (int slot : chunk.replicas()) {
                    out.add(c.servers.bySlot(slot).id().value());
                }
            }
            return out;
        });
    }

    /** Chunkservers currently live. */
    public int liveServers() {
        return read(c -> c.servers.live().size());
    }

    public HostPort address() {
        return address;
    }

    /** For tests and the status page: the state under the read lock. */
    public <T> T read(java.util.function.Function<MasterCore, T> f) {
        core.lock.readLock().lock();
        try {
            return f.apply(core);
        } finally {
            core.lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        if (election != null) {
            election.close();
        }
        if (http != null) {
            http.close();
        }
        status.close();
        server.close();
        timers.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rpc.close();
        committer.close();
        try {
            storage.close();
        } catch (IOException e) {
            log.warn("closing the operation log: {}", e.getMessage());
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
