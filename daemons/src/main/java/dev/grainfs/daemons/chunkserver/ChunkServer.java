package dev.grainfs.daemons.chunkserver;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.ChunkTokens;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.RpcServer;
import dev.grainfs.core.wire.proto.HeartbeatResponse;
import dev.grainfs.core.wire.proto.ServerAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunkserver process: opens its chunk store, serves the data path, and heartbeats to every
 * master it is given. Its identity is kept in the first data dir, so it survives restarts.
 */
public final class ChunkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkServer.class);

    private final ChunkServerConfig config;
    private final StoreAdapter store;
    private final String id;
    private final ChunkReports reports;
    /** The newest master epoch seen: older masters' orders are refused (failover fencing). */
    private final MasterEpoch epoch = new MasterEpoch();
    private final RpcClient rpc;
    private final ChunkServerRpc handler;
    private final DiskExecutors disk = new DiskExecutors(4, 4);
    private final RpcServer server;
    private final ScheduledExecutorService timer;
    private final List<MasterLink> links = new ArrayList<>();
    private volatile HostPort address;
    private final ReplicaCopier copier;
    private final Scrubber scrubber;
    private final dev.grainfs.daemons.metrics.DaemonMetrics metrics = new dev.grainfs.daemons.metrics.DaemonMetrics();
    private dev.grainfs.core.http.HttpStatusServer http;

    private final WireSecurity security;

    public ChunkServer(ChunkServerConfig config) throws IOException {
        this(config, RepairConfig.defaults(), WireSecurity.NONE);
    }

    /** As {@link #ChunkServer(ChunkServerConfig)} with self-healing settings (copy bandwidth, scrubber rate). */
    public ChunkServer(ChunkServerConfig config, RepairConfig repair) throws IOException {
        this(config, repair, WireSecurity.NONE);
    }

    /** A chunkserver that demands the cluster key (and TLS) of its peers and chunk tokens of its callers. */
    public ChunkServer(ChunkServerConfig config, WireSecurity security) throws IOException {
        this(config, RepairConfig.defaults(), security);
    }

    public ChunkServer(ChunkServerConfig config, RepairConfig repair, WireSecurity security) throws IOException {
        this.config = config;
        this.security = security;
        this.store = StoreAdapter.open(config.dataDirs(), config.maxChunkSize());
        this.id = loadOrCreateId(config.dataDirs().get(0));
        this.rpc = new RpcClient("cs-" + id, 1, security);
        ChunkAccessGuard guard = security.key() == null ? ChunkAccessGuard.OPEN
                : new ChunkAccessGuard(new ChunkTokens(security.key()));
        this.reports = new ChunkReports(config.masters().size());
        this.handler = new ChunkServerRpc(id, store, rpc, reports, disk, guard).withEpoch(epoch);
        this.server = new RpcServer("chunkserver", handler, 2, security).observer(metrics);
        ChunkServerPages.registerMetrics(metrics.registry(), this, handler);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chunkserver-heartbeat");
            t.setDaemon(true);
            return t;
        });
        this.copier = new ReplicaCopier(store, rpc, reports, disk, repair, handler::forget, this::heartbeatSoon);
        this.scrubber = repair.scrubBytesPerSec() > 0 ? new Scrubber(store, reports, repair) : null;
    }

    /** A copy finished: tell the masters now rather than at the next tick, and take the next order. */
    private void heartbeatSoon() {
        try {
            timer.execute(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    public HostPort start() throws IOException {
        address = server.start(config.bindHost(), config.port());
        for (HostPort m : config.masters()) {
            MasterLink link = new MasterLink(m, links.size(), epoch, rpc, this, this::onCommands);
            links.add(link);
        }
        timer.scheduleWithFixedDelay(this::tick, 0, config.heartbeatMs(), TimeUnit.MILLISECONDS);
        if (scrubber != null) {
            scrubber.start();
        }
        log.info("chunkserver {} listening on {} with {} replicas in {}", id, address, store.count(), config.dataDirs());
        dev.grainfs.daemons.security.SecurityLog.announce(log, "chunkserver", security);
        return address;
    }

    /** Serves the status page and /metrics on {@code port} (0 = any free port); call after {@link #start}. */
    public HostPort startHttp(int port) throws IOException {
        http = ChunkServerPages.routes(new dev.grainfs.core.http.HttpStatusServer("chunkserver"), this, handler,
                metrics);
        return http.start(config.bindHost(), port);
    }

    List<HostPort> masters() {
        return config.masters();
    }

    private void tick() {
        for (MasterLink l : links) {
            try {
                l.tick();
            } catch (RuntimeException e) {
                log.error("heartbeat to {} failed", l.master(), e);
            }
        }
    }

    /** Applies what a master said in a heartbeat answer: deletions and lease extensions. */
    private void onCommands(HeartbeatResponse r) {
        for (long h : r.getDeleteChunksList()) {
            handler.delete(h).whenComplete((v, err) -> {
                if (err != null) {
                    log.warn("cannot delete chunk {}: {}", Long.toHexString(h), GrainException.from(err).getMessage());
                }
            });
        }
        for (long h : r.getLeaseExtendedList()) {
            handler.leaseExtended(h, r.getLeaseMs());
        }
        r.getReplicateList().forEach(copier::submit);
    }

    String id() {
        return id;
    }

    public String serverId() {
        return id;
    }

    StoreAdapter store() {
        return store;
    }

    ChunkReports reports() {
        return reports;
    }

    int activeTransfers() {
        return copier.active();
    }

    /** Re-replication copies this server made (tests and metrics). */
    public long copiesMade() {
        return copier.copied.get();
    }

    /** Bytes this server copied as a re-replication target. */
    public long bytesCopied() {
        return copier.bytesCopied.get();
    }

    /** Corrupt replicas the scrubber found. */
    public long scrubberFound() {
        return scrubber == null ? 0 : scrubber.found.get();
    }

    List<Long> leasesToRenew() {
        return handler.leasesToRenew(System.nanoTime(), 30_000_000_000L);
    }

    ServerAddress selfAddress() {
        return ServerAddress.newBuilder().setServerId(id).setHost(address.host()).setPort(address.port())
                .setRack(config.rack()).build();
    }

    public HostPort address() {
        return address;
    }

    /** True once every master has accepted our registration. */
    public boolean registered() {
        return links.stream().allMatch(MasterLink::registered);
    }

    /** Read requests served so far (tests and metrics). */
    public long readsServed() {
        return handler.readsServed.get();
    }

    public List<Path> dataDirs() {
        return config.dataDirs();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        timer.shutdownNow();
        if (scrubber != null) {
            scrubber.close();
        }
        copier.close();
        server.close();
        disk.close();
        rpc.close();
        try {
            store.close();
        } catch (IOException e) {
            log.warn("closing chunk store: {}", e.getMessage());
        }
    }

    private static String loadOrCreateId(Path dir) throws IOException {
        Path f = dir.resolve("server-id");
        if (Files.exists(f)) {
            return Files.readString(f, StandardCharsets.UTF_8).trim();
        }
        Files.createDirectories(dir);
        String id = "cs-" + UUID.randomUUID().toString().substring(0, 8);
        Path tmp = dir.resolve("server-id.tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }
}
