package dev.grainfs.daemons.node;

import dev.grainfs.core.id.ServerId;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.server.ServerInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** heartbeat and server_status: the master's ServerRegistry, fed by full chunk reports. */
final class ServerHandlers {
    private final Cluster cluster;

    ServerHandlers(Cluster cluster) {
        this.cluster = cluster;
    }

    void register(Map<String, Handler> table) {
        table.put("heartbeat", this::heartbeat);
        table.put("server_status", this::status);
    }

    /**
     * A heartbeat with a full chunk report. The report is the truth about locations: reported chunks
     * the master knows become replicas, known replicas not reported are lost, and chunks the master
     * does not know (or moved away) are to be deleted. A heartbeat from a new name registers a new
     * chunkserver; one from a dead server brings it back.
     */
    private Reply heartbeat(Fields body) throws NodeError, IOException {
        String name = body.string("server");
        Set<Long> report = new HashSet<>(body.integers("chunks"));
        double pct = body.number("disk_usage_pct");
        if (!(pct >= 0 && pct <= 100)) {
            throw new NodeError(NodeError.MALFORMED, "body.disk_usage_pct must be between 0 and 100, got %s",
                    pct == Math.rint(pct) ? String.valueOf((long) pct) : String.valueOf(pct));
        }
        if (cluster.isMaster(name)) {
            throw new NodeError(NodeError.PRECONDITION, "%s is a master, not a chunkserver", name);
        }
        Cluster.checkNodeId(name);
        ServerInfo s = cluster.servers().byId(new ServerId(name));
        if (s == null || !s.isLive()) {
            s = cluster.register(name);
        }
        long used = Math.round(pct * (Cluster.CAPACITY / 100));
        cluster.servers().heartbeat(s, Cluster.CAPACITY, used, 0, cluster.now());
        cluster.reportedUsage(s);

        TreeSet<Long> toDelete = new TreeSet<>();
        for (long h : report) {
            ChunkInfo c = cluster.state().chunks().get(h);
            if (c == null || s.pendingDeletes().contains(h)) {
                toDelete.add(h);
            } else {
                cluster.addReplica(c, s);
            }
        }
        List<ChunkInfo> gone = new ArrayList<>();
        int slot = s.slot();
        cluster.state().chunks().forEach(c -> {
            if (c.hasReplica(slot) && !report.contains(c.handle())) {
                gone.add(c);
            }
        });
        for (ChunkInfo c : gone) {
            cluster.dropReplica(c, s);
        }
        s.pendingDeletes().clear();
        for (long h : toDelete) {
            cluster.files().delete(name, h); // the simulated chunkserver does as it is told
        }
        List<Long> toReplicate = new ArrayList<>();
        for (ChunkInfo c : cluster.underReplicated()) {
            if (c.replicas().length > 0 && c.replicas()[0] == slot) {
                toReplicate.add(c.handle());
            }
        }
        return Reply.of("heartbeat_ok").put("status", "alive").putIfNotEmpty("chunks_to_delete", List.copyOf(toDelete))
                .putIfNotEmpty("chunks_to_replicate", toReplicate);
    }

    private Reply status(Fields body) {
        long now = cluster.now();
        List<Object> out = new ArrayList<>();
        for (ServerInfo s : cluster.servers().all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", s.id().value());
            m.put("status", s.isLive() ? "alive" : "dead");
            m.put("chunks", s.chunkCount());
            m.put("last_heartbeat_ms_ago", now - s.lastHeartbeatMs());
            out.add(m);
        }
        return Reply.of("server_status_ok").put("servers", out);
    }
}
