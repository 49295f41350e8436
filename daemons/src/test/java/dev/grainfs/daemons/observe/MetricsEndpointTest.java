package dev.grainfs.daemons.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics of master and chunkservers parse strictly and their counters move with traffic; the JSON API answers. */
class MetricsEndpointTest {
    static final int SIZE = 3 << 20;
    @TempDir
    static Path dir;
    static MiniCluster cluster;
    static GrainClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder(dir).http(true).master(m -> m.withChunkSize(1 << 20)).start();
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static PromText scrape(dev.grainfs.core.id.HostPort at) throws Exception {
        var r = Http.get(at, "/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        return PromText.parse(r.body());
    }

    static double csSum(String name) throws Exception {
        double total = 0;
        for (int i = 0; i < cluster.chunkServerCount(); i++) {
            total += scrape(cluster.chunkServerHttp(i)).get(name);
        }
        return total;
    }

    @Test
    void countersMoveWhenFilesAreWrittenAndRead() throws Exception {
        PromText m0 = scrape(cluster.masterHttp());
        double written0 = csSum("grainfs_chunkserver_written_bytes_total");
        double read0 = csSum("grainfs_chunkserver_read_bytes_total");

        byte[] data = new byte[SIZE];
        new Random(7).nextBytes(data);
        try (GrainFile f = client.create("/metrics-file", CreateOptions.defaults())) {
            f.write(0, ByteBuffer.wrap(data));
        }
        try (GrainFile f = client.open("/metrics-file", false)) {
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            while (b.hasRemaining() && f.read(b.position(), b) >= 0) {
                // read it all
            }
        }

        PromText m1 = scrape(cluster.masterHttp());
        assertEquals(1, m1.get("grainfs_rpc_requests_total{op=\"create\",status=\"OK\"}")
                - m0.get("grainfs_rpc_requests_total{op=\"create\",status=\"OK\"}"));
        assertTrue(m1.sum("grainfs_rpc_requests_total", "op=\"get_write_lease\"")
                > m0.sum("grainfs_rpc_requests_total", "op=\"get_write_lease\""));
        assertTrue(m1.sum("grainfs_rpc_requests_total", "op=\"get_locations\"")
                > m0.sum("grainfs_rpc_requests_total", "op=\"get_locations\""));
        assertTrue(m1.get("grainfs_rpc_duration_seconds_count{op=\"create\"}") >= 1);
        assertTrue(m1.get("grainfs_master_lease_grants_total") >= m0.get("grainfs_master_lease_grants_total") + 3,
                "one lease per 1 MiB chunk");
        assertTrue(m1.get("grainfs_master_log_sync_duration_seconds_count")
                > m0.get("grainfs_master_log_sync_duration_seconds_count"));
        assertEquals(3, m1.get("grainfs_master_chunkservers{state=\"live\"}"));
        assertEquals(0, m1.get("grainfs_master_replication_queue_length"));
        assertTrue(m1.hasFamilyStartingWith("jvm_memory"), "JVM metrics");
        assertTrue(m1.hasFamilyStartingWith("jvm_gc"), "GC metrics");

        double written = csSum("grainfs_chunkserver_written_bytes_total") - written0;
        double read = csSum("grainfs_chunkserver_read_bytes_total") - read0;
        assertTrue(written >= 3.0 * SIZE, "three replicas written: " + written);
        assertTrue(read >= SIZE, "read back: " + read);
        PromText cs = scrape(cluster.chunkServerHttp(0));
        assertTrue(cs.sum("grainfs_rpc_requests_total", "op=\"write_chunk\"") > 0);
        assertEquals(0, cs.get("grainfs_chunkserver_checksum_failures_total"));
        assertTrue(cs.hasFamilyStartingWith("jvm_"));

        Thread.sleep(1_100); // the cluster gauges read a summary cached for a second
        assertTrue(scrape(cluster.masterHttp()).get("grainfs_master_files") >= 1);
        assertTrue(scrape(cluster.masterHttp()).get("grainfs_master_chunks") >= 3);
    }

    /** Every grainfs_ metric the docs and the Grafana dashboard name is one the daemons export. */
    @Test
    void documentedMetricsExist() throws Exception {
        client.create("/touch-rpc-families", CreateOptions.defaults()).close();
        PromText m = scrape(cluster.masterHttp());
        PromText cs = scrape(cluster.chunkServerHttp(0));
        for (String doc : new String[] {"observability.md", "grafana-dashboard.json"}) {
            String text = java.nio.file.Files.readString(Path.of("..", "docs", doc));
            java.util.regex.Matcher x = java.util.regex.Pattern.compile("grainfs_[a-z_]+[a-z]").matcher(text);
            while (x.find()) {
                String name = x.group().replaceAll("_(bucket|sum|count)$", "");
                if (name.startsWith("grainfs_mount_")) {
                    continue; // the mount's own: fuse-mount's MountMetricsTest checks those
                }
                assertTrue(m.types.containsKey(name) || cs.types.containsKey(name), doc + " names " + name);
            }
        }
    }

    @Test
    void jsonApiAnswers() throws Exception {
        client.mkdirs("/browse/sub");
        String servers = Http.body(cluster.masterHttp(), "/api/servers");
        for (int i = 0; i < 3; i++) {
            assertTrue(servers.contains("\"id\":\"" + cluster.chunkServer(i).serverId() + "\""), servers);
        }
        assertEquals(3, servers.split("\"state\":\"LIVE\"", -1).length - 1, servers);
        String c = Http.body(cluster.masterHttp(), "/api/cluster");
        assertTrue(c.contains("\"role\":\"active\"") && c.contains("\"safeMode\":false") && c.contains("\"epoch\":1"), c);
        String jobs = Http.body(cluster.masterHttp(), "/api/jobs");
        assertTrue(jobs.contains("\"queued\":0"), jobs);
        String ls = Http.body(cluster.masterHttp(), "/api/ls?path=/browse");
        assertTrue(ls.contains("\"name\":\"sub\"") && ls.contains("\"type\":\"dir\""), ls);
        assertEquals(404, Http.get(cluster.masterHttp(), "/api/ls?path=/nope").statusCode());
        assertEquals(404, Http.get(cluster.masterHttp(), "/nope").statusCode());
        assertTrue(Http.body(cluster.masterHttp(), "/").contains("<table id=\"servers\">"));
        String cs = Http.body(cluster.chunkServerHttp(1), "/api/status");
        assertTrue(cs.contains("\"id\":\"" + cluster.chunkServer(1).serverId() + "\"") && cs.contains("\"registered\":true"), cs);
        assertTrue(Http.body(cluster.chunkServerHttp(1), "/").contains("chunkserver"));
    }
}
