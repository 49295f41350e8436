package dev.grainfs.daemons.master;

import dev.grainfs.daemons.metrics.DaemonMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.Supplier;

/**
 * The master's own metrics: events counted where they happen (lease grants, log syncs, corrupt
 * replica reports, servers declared dead) and cluster gauges read from the cached status summary
 * at scrape time, so a scrape never walks the namespace.
 */
final class MasterMetrics {
    private static final double[] SYNC_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
        0.025, 0.05, 0.1, 0.25, 1};

    final DaemonMetrics daemon = new DaemonMetrics();
    private final Counter leaseGrants;
    private final Histogram logSync;
    private final Counter corruptReports;
    private final Counter declaredDead;

    MasterMetrics() {
        PrometheusRegistry r = daemon.registry();
        leaseGrants = Counter.builder().name("grainfs_master_lease_grants_total")
                .help("chunk leases granted (each new lease also bumps the chunk version)").register(r);
        logSync = Histogram.builder().name("grainfs_master_log_sync_duration_seconds")
                .help("time a mutation waited for the operation log to be durable (group commit)")
                .unit(Unit.SECONDS).classicOnly().classicUpperBounds(SYNC_BUCKETS).register(r);
        corruptReports = Counter.builder().name("grainfs_master_corrupt_replica_reports_total")
                .help("replicas chunkservers reported as failing their checksums").register(r);
        declaredDead = Counter.builder().name("grainfs_master_chunkservers_declared_dead_total")
                .help("times a chunkserver was silent for dead-after and declared dead").register(r);
    }

    /** Registers the gauges that read the (cached) cluster summary. */
    void registerClusterGauges(Supplier<MasterStatus.Summary> summary) {
        PrometheusRegistry r = daemon.registry();
        gauge(r, "grainfs_master_files", "regular files in the namespace", () -> summary.get().files());
        gauge(r, "grainfs_master_directories", "directories in the namespace", () -> summary.get().directories());
        gauge(r, "grainfs_master_chunks", "chunks in the chunk table", () -> summary.get().chunks());
        healthGauge(r, "grainfs_master_chunks_under_replicated",
                "chunks with fewer current replicas than their file's replication (missing ones included)",
                summary, MasterStatus.Summary::underReplicated);
        healthGauge(r, "grainfs_master_chunks_missing", "chunks with no current replica on a live server",
                summary, MasterStatus.Summary::missing);
        gauge(r, "grainfs_master_replication_queue_length",
                "chunks queued for re-replication (0 until self-healing lands)", () -> 0);
        gauge(r, "grainfs_master_capacity_bytes", "raw capacity of live chunkservers",
                () -> summary.get().capacityBytes());
        gauge(r, "grainfs_master_used_bytes", "bytes used on live chunkservers", () -> summary.get().usedBytes());
        GaugeWithCallback.builder().name("grainfs_master_chunkservers").help("chunkservers known, by state")
                .labelNames("state").callback(cb -> {
                    MasterStatus.Summary s = summary.get();
                    cb.call(s.liveServers(), "live");
                    cb.call(s.deadServers(), "dead");
                }).register(r);
    }

    /** A replica-health gauge: no sample until the first chunk table walk finished. */
    private static void healthGauge(PrometheusRegistry r, String name, String help, Supplier<MasterStatus.Summary> summary,
                                    java.util.function.ToLongFunction<MasterStatus.Summary> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> {
            MasterStatus.Summary s = summary.get();
            if (s.healthKnown()) {
                cb.call(value.applyAsLong(s));
            }
        }).register(r);
    }

    private static void gauge(PrometheusRegistry r, String name, String help, Supplier<Number> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.get().doubleValue()))
                .register(r);
    }

    void leaseGranted() {
        leaseGrants.inc();
    }

    void logSynced(long nanos) {
        logSync.observe(nanos / 1e9);
    }

    void corruptReplicaReported() {
        corruptReports.inc();
    }

    void serverDeclaredDead() {
        declaredDead.inc();
    }
}
