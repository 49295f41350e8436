package dev.grainfs.daemons.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the master's status page in headless Chromium: every chunkserver is listed LIVE, a stopped one
 * turns DEAD. Screenshots go to target/status-page-*.png for people to look at.
 */
class StatusPageBrowserTest {
    private static final Pattern ROW = Pattern.compile("<tr data-server=\"([^\"]+)\" data-state=\"([A-Z]+)\">");

    @TempDir
    Path dir;

    @Test
    void serverTableShowsEveryChunkserverAndOneTurningDead() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(dir);
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium)");
        Path target = Path.of("target").toAbsolutePath();
        try (MiniCluster cluster = MiniCluster.builder(dir.resolve("cluster")).http(true)
                .master(m -> m.withDeadAfterMs(2_000)).start()) {
            cluster.client().mkdirs("/photos/2024");
            String url = "http://" + cluster.masterHttp() + "/";

            Map<String, String> rows = rows(chromium.dumpDom(url, 3_000));
            assertEquals(3, rows.size(), "rows: " + rows);
            for (int i = 0; i < 3; i++) {
                assertEquals("LIVE", rows.get(cluster.chunkServer(i).serverId()), "rows: " + rows);
            }
            chromium.screenshot(url, 3_000, target.resolve("status-page-live.png"));

            String victim = cluster.chunkServer(1).serverId();
            cluster.stopChunkServer(1);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"DEAD".equals(rows.get(victim)) && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                rows = rows(chromium.dumpDom(url, 3_000));
            }
            assertEquals("DEAD", rows.get(victim), "rows: " + rows);
            assertEquals(2, rows.values().stream().filter("LIVE"::equals).count(), "rows: " + rows);
            chromium.screenshot(url, 3_000, target.resolve("status-page-dead.png"));
            assertTrue(Files.size(target.resolve("status-page-dead.png")) > 10_000);

            String cs = chromium.dumpDom("http://" + cluster.chunkServerHttp(0) + "/", 3_000);
            assertTrue(cs.contains(cluster.chunkServer(0).serverId()), cs);
        }
    }

    private static Map<String, String> rows(String dom) {
        Map<String, String> out = new HashMap<>();
        Matcher m = ROW.matcher(dom);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }
}
