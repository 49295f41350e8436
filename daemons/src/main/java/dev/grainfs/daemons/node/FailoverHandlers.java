package dev.grainfs.daemons.node;

import java.util.Map;

/** shadow_status and trigger_failover: the shadow master's log lag and its promotion. */
final class FailoverHandlers {
    private final Cluster cluster;

    FailoverHandlers(Cluster cluster) {
        this.cluster = cluster;
    }

    void register(Map<String, Handler> table) {
        table.put("shadow_status", this::shadowStatus);
        table.put("trigger_failover", this::failover);
    }

    /** The masters and how far the shadow's applied state trails the log (shadow null after a failover). */
    private Reply shadowStatus(Fields body) {
        ShadowMaster s = cluster.shadow();
        long now = cluster.now();
        return Reply.of("shadow_status_ok").put("primary", cluster.primaryMaster())
                .put("shadow", s == null ? null : s.id()).put("wal_lag_entries", s == null ? 0 : s.lagEntries())
                .put("wal_lag_ms", s == null ? 0L : s.lagMs(now));
    }

    private Reply failover(Fields body) throws NodeError {
        Cluster.Failover f = cluster.failover(body.string("failed_master"));
        return Reply.of("trigger_failover_ok").put("new_primary", f.newPrimary())
                .put("wal_entries_replayed", f.replayed()).put("failover_time_ms", f.tookMs());
    }
}
