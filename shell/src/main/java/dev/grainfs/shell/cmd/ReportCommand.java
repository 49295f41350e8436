package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.Format;
import dev.grainfs.shell.GrainCommand;
import dev.grainfs.shell.JsonDoc;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", description = {"Show the chunkservers, one line each: id, address, rack, state (LIVE, DEAD,",
        "DECOMMISSIONING, DECOMMISSIONED), chunks, used, capacity, last heartbeat,",
        "copies in flight; then cluster totals and the background jobs (re-replication,",
        "balancer, decommissions). --json prints the master's /api/cluster, /api/servers",
        "and /api/jobs in one document."},
        footer = {"", "Examples:", "  grainfs report", "  grainfs report --json | jq '.servers[] | select(.state != \"LIVE\")'"})
public final class ReportCommand extends GrainCommand {
    @Option(names = "--json", description = "machine-readable: {\"cluster\": {...}, \"servers\": [...], \"jobs\": {...}}")
    boolean json;

    public ReportCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "report";
    }

    @Override
    protected int run() throws Exception {
        String doc;
        try (MetadataAdmin admin = MetadataAdmin.connect(ctx.config(), ctx.security())) {
            doc = admin.reportJson();
        }
        if (json) {
            ctx.out().println(doc);
        } else {
            human(JsonDoc.parse(doc));
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private void human(Object doc) {
        var out = ctx.out();
        out.printf("%-20s %-21s %-10s %-15s %8s %8s %8s %9s %6s%n", "ID", "ADDRESS", "RACK", "STATE", "CHUNKS", "USED",
                "CAPACITY", "HEARTBEAT", "COPIES");
        for (Object o : JsonDoc.list(doc, "servers")) {
            Map<String, Object> s = (Map<String, Object>) o;
            String state = String.valueOf(s.get("state"));
            String left = s.get("decommissionChunksLeft") instanceof Number n && state.equals("DECOMMISSIONING")
                    ? "  " + n + " chunks left" : "";
            out.printf("%-20s %-21s %-10s %-15s %8d %8s %8s %8.1fs %6d%s%n", s.get("id"), s.get("address"), s.get("rack"),
                    state, JsonDoc.num(s, "chunks"), Format.bytes(JsonDoc.num(s, "usedBytes")),
                    Format.bytes(JsonDoc.num(s, "capacityBytes")), JsonDoc.num(s, "lastHeartbeatAgeMs") / 1000.0,
                    JsonDoc.num(s, "inFlightCopies"), left);
        }
        Map<String, Object> c = JsonDoc.obj(doc, "cluster");
        long cap = JsonDoc.num(c, "capacityBytes");
        long used = JsonDoc.num(c, "usedBytes");
        out.printf("Master:     %s, epoch %d%n", c.get("role"), JsonDoc.num(c, "epoch"));
        Object shadow = c.get("shadow");
        if (shadow instanceof Map<?, ?> sh) {
            Map<String, Object> m = (Map<String, Object>) sh;
            out.printf("Shadow:     %s, %s, %d records behind, last heard %.1fs ago%n", m.get("address"),
                    Boolean.TRUE.equals(m.get("synchronous")) ? "synchronous (changes wait for it)"
                            : "NOT synchronous (the master goes on alone)",
                    JsonDoc.num(m, "lagRecords"), JsonDoc.num(m, "lastPullMsAgo") / 1000.0);
        } else {
            out.printf("Shadow:     none%n");
        }
        out.printf("Servers:    %d live, %d dead%n", JsonDoc.num(c, "liveServers"), JsonDoc.num(c, "deadServers"));
        out.printf("Capacity:   %s used of %s (%.1f%%), %s free%n", Format.bytes(used), Format.bytes(cap),
                cap == 0 ? 0.0 : 100.0 * used / cap, Format.bytes(JsonDoc.num(c, "freeBytes")));
        out.printf("Namespace:  %d files, %d directories, %d chunks%n", JsonDoc.num(c, "files"),
                JsonDoc.num(c, "directories"), JsonDoc.num(c, "chunks"));
        out.printf("Chunks:     %s under-replicated, %s missing%n", orUnknown(c.get("underReplicatedChunks")),
                orUnknown(c.get("missingChunks")));
        Map<String, Object> jobs = JsonDoc.obj(doc, "jobs");
        Map<String, Object> r = JsonDoc.obj(jobs, "replication");
        out.printf("Copies:     %d in flight, %d queued%n", JsonDoc.num(r, "inFlight"), JsonDoc.num(r, "queued"));
        out.printf("Balancer:   %s%n", JsonDoc.obj(jobs, "balancer").get("status"));
        for (Object o : JsonDoc.list(jobs, "decommissions")) {
            Map<String, Object> d = (Map<String, Object>) o;
            out.printf("Decommission: %s %s, %s of its %d chunks still to copy%n", d.get("id"), d.get("state"),
                    orUnknown(d.get("chunksLeft")), JsonDoc.num(d, "chunks"));
        }
    }

    private static String orUnknown(Object v) {
        return v == null ? "?" : String.valueOf(v);
    }
}
