package dev.grainfs.daemons.metrics;

import dev.grainfs.core.wire.RpcObserver;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.core.http.HttpReply;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * One daemon's Prometheus registry (not the global default: a test JVM runs several daemons) with
 * the metrics every daemon has: RPCs per operation and status, RPC latency, JVM and GC. It is also
 * the daemon's {@link RpcObserver}.
 */
public final class DaemonMetrics implements RpcObserver {
    /** Latency buckets from 100 us to 10 s: metadata RPCs sit low, 8 MiB chunk transfers high. */
    static final double[] LATENCY_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10};
    private static final PrometheusTextFormatWriter TEXT = new PrometheusTextFormatWriter(false);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;

    public DaemonMetrics() {
        requests = Counter.builder().name("grainfs_rpc_requests_total")
                .help("RPC requests answered, by operation and status code")
                .labelNames("op", "status").register(registry);
        latency = Histogram.builder().name("grainfs_rpc_duration_seconds")
                .help("time from a request's arrival to its answer being sent, by operation")
                .unit(Unit.SECONDS).labelNames("op").classicOnly().classicUpperBounds(LATENCY_BUCKETS)
                .register(registry);
        JvmMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void answered(Request.BodyCase op, StatusCode status, long nanos) {
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        requests.labelValues(name, status.name()).inc();
        latency.labelValues(name).observe(nanos / 1e9);
    }

    /** The registry in the Prometheus text format (version 0.0.4). */
    public byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
        TEXT.write(out, registry.scrape());
        return out.toByteArray();
    }

    /** The /metrics route. */
    public HttpReply metricsPage() throws IOException {
        return new HttpReply(200, PrometheusTextFormatWriter.CONTENT_TYPE, scrape());
    }
}
