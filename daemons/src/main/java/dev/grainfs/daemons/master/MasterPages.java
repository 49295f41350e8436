package dev.grainfs.daemons.master;

import dev.grainfs.core.http.HttpReply;
import dev.grainfs.core.http.HttpStatusServer;
import dev.grainfs.daemons.metrics.DaemonMetrics;
import java.util.List;
import java.util.Map;

/** The master's HTTP routes: the status page, its JSON API and /metrics. */
final class MasterPages {
    private static final byte[] PAGE = HttpStatusServer.resource("/dev/grainfs/daemons/http/master.html");

    private MasterPages() {
    }

    static HttpStatusServer routes(HttpStatusServer http, MasterStatus status, DaemonMetrics metrics) {
        return http
                .route("/", q -> HttpReply.html(PAGE))
                .route("/api/cluster", q -> HttpReply.json(status.cluster()))
                .route("/api/servers", q -> HttpReply.json(status.servers()))
                .route("/api/jobs", q -> HttpReply.json(status.jobs()))
                .route("/api/ls", q -> ls(status, q))
                .route("/metrics", q -> metrics.metricsPage());
    }

    private static HttpReply ls(MasterStatus status, Map<String, List<String>> q) {
        String path = first(q, "path", "/");
        int limit;
        try {
            limit = Integer.parseInt(first(q, "limit", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number");
        }
        try {
            return HttpReply.json(status.ls(path, first(q, "after", null), limit));
        } catch (dev.grainfs.core.GrainException e) {
            return HttpReply.error(e.status() == dev.grainfs.core.wire.proto.StatusCode.ENOENT ? 404 : 400,
                    e.getMessage());
        }
    }

    private static String first(Map<String, List<String>> q, String key, String dflt) {
        List<String> v = q.get(key);
        return v == null || v.isEmpty() ? dflt : v.get(0);
    }
}
