package dev.grainfs.daemons.node;

import dev.grainfs.core.GrainException;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.lease.LeaseManager.Lease;
import dev.grainfs.daemons.master.server.ServerInfo;
import java.io.IOException;
import java.util.Map;

/** lease_grant, lease_renew, lease_check: the master's LeaseManager (60 s leases). */
final class LeaseHandlers {
    private final Cluster cluster;

    LeaseHandlers(Cluster cluster) {
        this.cluster = cluster;
    }

    void register(Map<String, Handler> table) {
        table.put("lease_grant", this::grant);
        table.put("lease_renew", this::renew);
        table.put("lease_check", this::check);
    }

    /**
     * Grants the lease to a live replica of the chunk, unless an unexpired lease exists: the master
     * never grants a second one, and answers with the current primary instead.
     */
    private Reply grant(Fields body) throws NodeError, GrainException, IOException {
        ChunkInfo c = cluster.chunk(body.integer("chunk_handle"));
        ServerInfo s = cluster.chunkserver(body.string("server"));
        Lease l = cluster.lease(c.handle());
        if (l == null) {
            if (!s.isLive()) {
                throw new NodeError(NodeError.PRECONDITION, "chunkserver %s is dead", s.id());
            }
            if (!c.hasReplica(s.slot())) {
                throw new NodeError(NodeError.PRECONDITION, "%s holds no replica of chunk %d", s.id(), c.handle());
            }
            l = cluster.grantLease(c, s, false);
        }
        return Reply.of("lease_grant_ok").put("chunk_handle", c.handle()).put("primary", cluster.name(l.primarySlot()));
    }

    /** Extends the lease by a full term; only its unexpired holder may. */
    private Reply renew(Fields body) throws NodeError {
        ChunkInfo c = cluster.chunk(body.integer("chunk_handle"));
        ServerInfo s = cluster.chunkserver(body.string("server"));
        if (!cluster.leases().renew(c.handle(), s.slot(), cluster.now())) {
            throw new NodeError(NodeError.PRECONDITION, "%s holds no lease on chunk %d", s.id(), c.handle());
        }
        long left = cluster.lease(c.handle()).expiresMs() - cluster.now();
        return Reply.of("lease_renew_ok").put("new_expires_in_ms", left);
    }

    /** The current lease, or the last holder with expired true (primary null if never leased). */
    private Reply check(Fields body) throws NodeError {
        ChunkInfo c = cluster.chunk(body.integer("chunk_handle"));
        Lease l = cluster.lease(c.handle());
        Reply r = Reply.of("lease_check_ok");
        if (l == null) {
            return r.put("primary", cluster.lastPrimary(c.handle())).put("remaining_ms", 0L).put("expired", true);
        }
        return r.put("primary", cluster.name(l.primarySlot())).put("remaining_ms", l.expiresMs() - cluster.now())
                .put("expired", false);
    }
}
