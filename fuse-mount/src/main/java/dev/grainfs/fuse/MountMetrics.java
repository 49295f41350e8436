package dev.grainfs.fuse;

import dev.grainfs.core.http.HttpReply;
import dev.grainfs.core.vfs.Vfs;
import dev.grainfs.core.vfs.VfsObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * One mount's Prometheus metrics (grainfs_mount_*, plus JVM and GC): FUSE operations with their
 * latency and errno, bytes through read and write, and what the VFS's attribute cache, read-ahead
 * and write buffers did (as its {@link VfsObserver}). docs/observability.md lists every metric.
 * Its own registry, not the global default: a test JVM may hold several mounts. Thread-safe.
 */
final class MountMetrics implements VfsObserver {
    /** 10 us to 10 s: a cached getattr answers in microseconds, a flush of 8 MiB in many milliseconds. */
    private static final double[] LATENCY_BUCKETS = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001,
        0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final PrometheusTextFormatWriter TEXT = new PrometheusTextFormatWriter(false);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram ops;
    private final Counter errors;
    private final CounterDataPoint readBytes;
    private final CounterDataPoint writtenBytes;
    private final HitMiss attrCache;
    private final CounterDataPoint statAhead;
    private final HitMiss readAhead;
    private final Counter flushes;

    MountMetrics() {
        ops = Histogram.builder().name("grainfs_mount_op_duration_seconds")
                .help("time the mount took to answer a FUSE operation, by operation (_count: operations answered)")
                .unit(Unit.SECONDS).labelNames("op").classicOnly().classicUpperBounds(LATENCY_BUCKETS)
                .register(registry);
        errors = counter("grainfs_mount_errors_total",
                "FUSE operations answered with an error, by operation and errno", "op", "errno");
        readBytes = counter("grainfs_mount_read_bytes_total", "bytes returned to read(2) calls");
        writtenBytes = counter("grainfs_mount_written_bytes_total",
                "bytes accepted from write(2) calls (buffered; see write_flushes)");
        attrCache = hitMiss("grainfs_mount_attr_cache_lookups_total", "stat and name lookups (getattr, "
                + "fgetattr) answered from the attribute cache (hit) or asked of the master (miss)");
        statAhead = counter("grainfs_mount_stat_ahead_listings_total",
                "directories listed at once because stats in them kept missing the cache");
        readAhead = hitMiss("grainfs_mount_read_ahead_pieces_total", "pieces sequential reads used: already "
                + "requested by read-ahead (hit) or requested by the read itself (miss)");
        flushes = counter("grainfs_mount_write_flushes_total",
                "flushes of an open file's buffered writes to its replicas and the master, by cause", "cause");
        JvmMetrics.builder().register(registry);
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    /** A counter with result="hit" and result="miss". */
    private record HitMiss(CounterDataPoint hit, CounterDataPoint miss) {
        void count(boolean isHit) {
            (isHit ? hit : miss).inc();
        }
    }

    private HitMiss hitMiss(String name, String help) {
        Counter c = counter(name, help, "result");
        return new HitMiss(c.labelValues("hit"), c.labelValues("miss"));
    }

    /** Registers the gauges read from the mount's VFS at scrape time. */
    void watch(Vfs vfs) {
        GaugeWithCallback.builder().name("grainfs_mount_open_files").help("files open (inodes)")
                .callback(cb -> cb.call(vfs.openFiles())).register(registry);
        GaugeWithCallback.builder().name("grainfs_mount_open_handles")
                .help("file handles open (one per open(2) the kernel passed on; several may share a file)")
                .callback(cb -> cb.call(vfs.openHandles())).register(registry);
    }

    /** One FUSE operation answered with {@code result} (0, a count, or -errno) after {@code nanos}. */
    void answered(String op, int result, long nanos) {
        ops.labelValues(op).observe(nanos / 1e9);
        if (result < 0) {
            errors.labelValues(op, errnoName(-result)).inc();
        }
    }

    void read(int bytes) {
        readBytes.inc(bytes);
    }

    void written(long bytes) {
        writtenBytes.inc(bytes);
    }

    @Override
    public void attrLookup(boolean hit) {
        attrCache.count(hit);
    }

    @Override
    public void statAhead() {
        statAhead.inc();
    }

    @Override
    public void piece(boolean fromReadAhead) {
        readAhead.count(fromReadAhead);
    }

    @Override
    public void flushed(FlushCause cause) {
        flushes.labelValues(cause.name().toLowerCase(Locale.ROOT)).inc();
    }

    /** The /metrics route: the registry in the Prometheus text format (version 0.0.4). */
    HttpReply page() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
        TEXT.write(out, registry.scrape());
        return new HttpReply(200, PrometheusTextFormatWriter.CONTENT_TYPE, out.toByteArray());
    }

    /** The errno's symbolic name, as the kernel's headers spell it ("E" + number for rare ones). */
    static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 5 -> "EIO";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 13 -> "EACCES";
            case 17 -> "EEXIST";
            case 18 -> "EXDEV";
            case 20 -> "ENOTDIR";
            case 21 -> "EISDIR";
            case 22 -> "EINVAL";
            case 27 -> "EFBIG";
            case 28 -> "ENOSPC";
            case 30 -> "EROFS";
            case 36 -> "ENAMETOOLONG";
            case 38 -> "ENOSYS";
            case 39 -> "ENOTEMPTY";
            case 40 -> "ELOOP";
            case 61 -> "ENODATA";
            case 74 -> "EBADMSG";
            case 95 -> "ENOTSUP";
            case 110 -> "ETIMEDOUT";
            case 116 -> "ESTALE";
            default -> "E" + errno;
        };
    }
}
