package dev.grainfs.daemons.chunkserver;

import dev.grainfs.core.http.HttpReply;
import dev.grainfs.core.http.HttpStatusServer;
import dev.grainfs.daemons.metrics.DaemonMetrics;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The chunkserver's HTTP routes (a small page, /api/status, /metrics) and its own metrics. */
final class ChunkServerPages {
    private static final byte[] PAGE = HttpStatusServer.resource("/dev/grainfs/daemons/http/chunkserver.html");

    private ChunkServerPages() {
    }

    static HttpStatusServer routes(HttpStatusServer http, ChunkServer cs, ChunkServerRpc rpc, DaemonMetrics metrics) {
        return http
                .route("/", q -> HttpReply.html(PAGE))
                .route("/api/status", q -> HttpReply.json(status(cs, rpc)))
                .route("/metrics", q -> metrics.metricsPage());
    }

    /** GET /api/status of a chunkserver. */
    static Map<String, Object> status(ChunkServer cs, ChunkServerRpc rpc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", cs.serverId());
        m.put("address", String.valueOf(cs.address()));
        m.put("masters", cs.masters().stream().map(String::valueOf).toList());
        m.put("registered", cs.registered());
        m.put("replicas", cs.store().count());
        m.put("capacityBytes", cs.store().capacityBytes());
        m.put("usedBytes", cs.store().usedBytes());
        m.put("dataDirs", cs.dataDirs().stream().map(String::valueOf).toList());
        m.put("readsServed", rpc.readsServed.get());
        m.put("bytesRead", rpc.bytesRead.get());
        m.put("bytesWritten", rpc.bytesWritten.get());
        m.put("checksumFailures", rpc.checksumFailures.get());
        return m;
    }

    static void registerMetrics(PrometheusRegistry r, ChunkServer cs, ChunkServerRpc rpc) {
        counter(r, "grainfs_chunkserver_reads_total", "chunk read requests served", rpc.readsServed);
        counter(r, "grainfs_chunkserver_read_bytes_total", "chunk bytes sent to readers", rpc.bytesRead);
        counter(r, "grainfs_chunkserver_written_bytes_total", "chunk bytes written to local replicas",
                rpc.bytesWritten);
        counter(r, "grainfs_chunkserver_checksum_failures_total",
                "reads that found a block failing its CRC32C (the replica is then reported corrupt)",
                rpc.checksumFailures);
        gauge(r, "grainfs_chunkserver_replicas", "chunk replicas stored", () -> cs.store().count());
        gauge(r, "grainfs_chunkserver_capacity_bytes", "capacity of the data dirs", () -> cs.store().capacityBytes());
        gauge(r, "grainfs_chunkserver_used_bytes", "bytes used in the data dirs", () -> cs.store().usedBytes());
    }

    private static void counter(PrometheusRegistry r, String name, String help, AtomicLong value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.get())).register(r);
    }

    private static void gauge(PrometheusRegistry r, String name, String help, Supplier<Number> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.get().doubleValue()))
                .register(r);
    }
}
