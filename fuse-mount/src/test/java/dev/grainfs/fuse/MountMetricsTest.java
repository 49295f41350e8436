package dev.grainfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.daemons.observe.PromText;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mount's /metrics (metrics_port): a MiniCluster mounted through the kernel, files written and
 * read with ordinary Java file calls, and the scrape parsed strictly; every family the docs list
 * must move the way those calls make it move.
 */
@Tag("fuse")
class MountMetricsTest {
    static final int SIZE = 6 << 20;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path tmp;

    static PromText scrape(HostPort at) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + at + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        return PromText.parse(r.body());
    }

    /** Scrapes until {@code series} satisfies {@code ok} (the kernel sends release after close returns). */
    static PromText await(HostPort at, String series, DoublePredicate ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        PromText p = scrape(at);
        while (!ok.test(p.get(series)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            p = scrape(at);
        }
        assertTrue(ok.test(p.get(series)), series + " = " + p.get(series));
        return p;
    }

    @Test
    void countersMoveWithOrdinaryFileCalls() throws Exception {
        try (MountedCluster m = MountedCluster.start(tmp.resolve("c"), "metrics_port=127.0.0.1:0")) {
            HostPort at = m.mount.metricsAddress();
            PromText before = scrape(at);
            assertTrue(before.hasFamilyStartingWith("jvm_"), "JVM metrics are there too");
            assertEquals(0, before.get("grainfs_mount_read_bytes_total"));

            byte[] data = new byte[SIZE];
            new Random(11).nextBytes(data);
            Path file = m.mnt.resolve("metrics.bin");
            Files.write(file, data);
            assertTrue(Arrays.equals(data, Files.readAllBytes(file)));
            assertFalse(Files.exists(m.mnt.resolve("no-such-file")));
            try (FileChannel ch = FileChannel.open(m.mnt.resolve("held-open"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                ch.force(true);
                PromText open = scrape(at);
                assertEquals(1, open.get("grainfs_mount_open_files"));
                assertTrue(open.get("grainfs_mount_open_handles") >= 1);
                assertEquals(1, open.get("grainfs_mount_write_flushes_total{cause=\"fsync\"}"));
            }
            PromText after = await(at, "grainfs_mount_open_files", v -> v == 0);

            assertEquals(SIZE + 3, after.get("grainfs_mount_written_bytes_total"));
            assertEquals(SIZE, after.get("grainfs_mount_read_bytes_total"));
            for (String op : new String[] {"create", "write", "flush", "release", "open", "read", "getattr", "fsync"}) {
                assertTrue(after.get("grainfs_mount_op_duration_seconds_count{op=\"" + op + "\"}") >= 1, op);
            }
            assertTrue(after.get("grainfs_mount_op_duration_seconds_count{op=\"write\"}") >= SIZE / (128 << 10),
                    "a FUSE write carries at most 128 KiB");
            assertTrue(after.get("grainfs_mount_errors_total{errno=\"ENOENT\",op=\"getattr\"}") >= 1);
            assertEquals(0, after.sum("grainfs_mount_errors_total", "errno=\"EIO\""));
            assertTrue(after.get("grainfs_mount_attr_cache_lookups_total{result=\"hit\"}") >= 1,
                    "libfuse's getattr right after create is answered from the cache");
            assertTrue(after.get("grainfs_mount_attr_cache_lookups_total{result=\"miss\"}") >= 1);
            assertTrue(after.get("grainfs_mount_read_ahead_pieces_total{result=\"miss\"}") >= 1,
                    "the first piece of a sequential read is the read's own");
            assertTrue(after.get("grainfs_mount_read_ahead_pieces_total{result=\"hit\"}") >= 4,
                    "the later 1 MiB pieces of a 6 MiB sequential read were read ahead");
            assertTrue(after.get("grainfs_mount_write_flushes_total{cause=\"close\"}") >= 1);

            for (String doc : new String[] {"observability.md", "grafana-dashboard.json"}) {
                Matcher x = Pattern.compile("grainfs_mount_[a-z_]+[a-z]").matcher(Files.readString(Path.of("..", "docs", doc)));
                while (x.find()) {
                    String name = x.group().replaceAll("_(bucket|sum|count)$", "");
                    assertTrue(after.hasFamily(name), doc + " names " + name + ", which the mount does not export");
                }
            }
        }
    }

    @Test
    void badOrTakenMetricsPortIsAClearErrorAndMountsNothing() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MountOptions.parse("metrics_port=lots"))
                .getMessage().contains("metrics_port=lots"));
        assertThrows(IllegalArgumentException.class, () -> MountOptions.parse("metrics_port=70000"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             MountedCluster m = MountedCluster.start(tmp.resolve("c"), "")) {
            Path dir = tmp.resolve("second");
            MountOptions o = MountOptions.parse("metrics_port=127.0.0.1:" + taken.getLocalPort());
            IOException e = assertThrows(IOException.class, () -> FuseMount.mount(m.client, dir, o));
            assertTrue(e.getMessage().startsWith("metrics_port: cannot serve http"), e.getMessage());
            assertNull(MountTable.typeAt(dir));
            assertFalse(Files.exists(dir), "nothing is left behind, not even the mount point");
            assertNull(m.mount.metricsAddress(), "off unless asked for");
        }
    }
}
