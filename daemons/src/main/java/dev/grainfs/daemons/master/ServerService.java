package dev.grainfs.daemons.master;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.id.ServerId;
import dev.grainfs.core.security.ChunkTokens;
import dev.grainfs.core.wire.proto.HeartbeatRequest;
import dev.grainfs.core.wire.proto.HeartbeatResponse;
import dev.grainfs.core.wire.proto.RegisterRequest;
import dev.grainfs.core.wire.proto.RegisterResponse;
import dev.grainfs.core.wire.proto.ReplicaReport;
import dev.grainfs.core.wire.proto.ReplicateCommand;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.SetChunkVersionOp;
import dev.grainfs.daemons.master.server.ServerInfo;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunkserver registration, heartbeats and chunk reports: replica locations are rebuilt from these
 * (never persisted); unknown and stale replicas are told to go; silent servers are declared dead.
 */
final class ServerService {
    private static final Logger log = LoggerFactory.getLogger(ServerService.class);
    private static final int MAX_DELETES_PER_HEARTBEAT = 1_000;

    private final MasterCore core;
    private final SafeMode safeMode;
    private final ChunkTokens tokens;

    /** {@code tokens} is null in a cluster without a key. */
    ServerService(MasterCore core, SafeMode safeMode, ChunkTokens tokens) {
        this.core = core;
        this.safeMode = safeMode;
        this.tokens = tokens;
    }

    Response.Builder register(RegisterRequest r) throws GrainException {
        if (r.getAddress().getServerId().isEmpty() || r.getAddress().getHost().isEmpty()) {
            throw GrainException.of(StatusCode.EINVAL, "register without server id or address");
        }
        long txid = -1;
        if (r.getAddress().getPort() < 1 || r.getAddress().getPort() > 65535 || r.getAddress().getHost().isEmpty()) {
            throw GrainException.of(StatusCode.EINVAL, "register: bad address %s:%d", r.getAddress().getHost(),
                    r.getAddress().getPort());
        }
        core.lock.writeLock().lock();
        try {
            ServerInfo existing = core.servers.byId(new ServerId(r.getAddress().getServerId()));
            if (existing != null && existing.isLive()) {
                forgetReplicas(existing); // a restart: its full report below replaces what we knew
            }
            ServerInfo s = core.servers.register(new ServerId(r.getAddress().getServerId()),
                    new HostPort(r.getAddress().getHost(), r.getAddress().getPort()), r.getAddress().getRack(),
                    r.getCapacity(), r.getUsed(), core.monoMs());
            s.setDecommissioning(core.state.decommissioned().contains(s.id().value()));
            for (ReplicaReport rep : r.getReplicasList()) {
                txid = Math.max(txid, accept(s, rep));
            }
            log.info("chunkserver {} at {} (rack {}) registered with {} replicas", s.id(), s.address(), s.rack(),
                    s.chunkCount());
        } finally {
            core.lock.writeLock().unlock();
        }
        if (txid >= 0) {
            core.sync(txid);
        }
        return Response.newBuilder().setRegister(RegisterResponse.newBuilder().setHeartbeatMs(core.config.heartbeatMs())
                .setEpoch(core.epoch()));
    }

    Response.Builder heartbeat(HeartbeatRequest r) throws GrainException {
        HeartbeatResponse.Builder out = HeartbeatResponse.newBuilder().setEpoch(core.epoch());
        long txid = -1;
        core.lock.writeLock().lock();
        try {
            ServerInfo s = r.getServerId().isEmpty() ? null : core.servers.byId(new ServerId(r.getServerId()));
            if (s == null || !s.isLive()) {
                return Response.newBuilder().setHeartbeat(out.setReregister(true));
            }
            long now = core.monoMs();
            core.servers.heartbeat(s, r.getCapacity(), r.getUsed(), r.getActiveTransfers(), now);
            for (ReplicaReport rep : r.getAddedList()) {
                txid = Math.max(txid, accept(s, rep));
            }
            for (long h : r.getRemovedList()) {
                ChunkInfo c = core.state.chunks().get(h);
                if (c != null && c.removeReplica(s.slot())) {
                    s.adjustChunkCount(-1);
                }
                core.replication.removed(h, s.slot());
            }
            for (long h : r.getCorruptList()) {
                core.metrics.corruptReplicaReported();
                ChunkInfo c = core.state.chunks().get(h);
                if (c == null) {
                    s.pendingDeletes().add(h);
                } else {
                    log.warn("chunkserver {} reports replica of chunk {} corrupt", s.id(), Long.toHexString(h));
                    core.replication.markCorrupt(c, s); // deleted once a good copy replaced it
                }
            }
            for (long h : r.getLeaseRenewalsList()) {
                if (core.leases.renew(h, s.slot(), now)) {
                    out.addLeaseExtended(h);
                }
            }
            out.setLeaseMs(core.leases.leaseMs());
            // in safe mode the map may still lack replicas not yet reported: deletions wait until it ends
            core.releaseDurableDeletions();
            int n = 0;
            for (Iterator<Long> it = s.pendingDeletes().iterator();
                 !safeMode.isOn() && it.hasNext() && n < MAX_DELETES_PER_HEARTBEAT; n++) {
                out.addDeleteChunks(it.next());
                it.remove();
            }
            core.replication.assign(now);
            for (ReplicateCommand c : core.replication.drain(s.slot())) {
                out.addReplicate(withToken(c));
            }
        } finally {
            core.lock.writeLock().unlock();
        }
        if (txid >= 0) {
            core.sync(txid);
        }
        return Response.newBuilder().setHeartbeat(out);
    }

    /**
     * The target reads the chunk from its source like any client, so in a keyed cluster it needs a
     * READ token; minted as the command leaves (not when queued) so it is fresh for the whole copy.
     */
    private ReplicateCommand withToken(ReplicateCommand c) {
        return tokens == null ? c : c.toBuilder().setToken(tokens.mint(c.getHandle(), ChunkTokens.Access.READ)).build();
    }

    /**
     * Takes one reported replica into the location map, or marks it for deletion when no file uses
     * it or its version is stale. A version above ours means we died granting a lease: adopt it (GFS).
     * Returns the txid of a logged version adoption, or -1.
     */
    private long accept(ServerInfo s, ReplicaReport rep) throws GrainException {
        ChunkInfo c = core.state.chunks().get(rep.getHandle());
        if (core.follower) {
            // a shadow only learns where current replicas are; deleting and adopting are the master's calls
            if (c != null && rep.getVersion() == c.version() && c.addReplica(s.slot())) {
                s.adjustChunkCount(1);
            }
            return -1;
        }
        if (c == null) {
            core.deleteReplicaWhenDurable(s, rep.getHandle());
            return -1;
        }
        if (rep.getVersion() < c.version()) {
            if (c.hasReplica(s.slot())) {
                // this server took the current version already: the report was queued before that
                return -1;
            }
            log.info("replica of chunk {} on {} is stale (version {} < {}); deleting it",
                    Long.toHexString(c.handle()), s.id(), rep.getVersion(), c.version());
            core.deleteReplicaWhenDurable(s, rep.getHandle());
            return -1;
        }
        if (rep.getVersion() == c.version() && !c.hasReplica(s.slot())
                && core.leases.valid(c.handle(), core.monoMs()) != null) {
            // took the version after its grant gave up on it (a late SetVersion): it is outside the
            // lease's chain and missed the writes, so its bytes are not the chunk's
            log.info("replica of chunk {} on {} joined during a lease it is not part of; deleting it",
                    Long.toHexString(c.handle()), s.id());
            s.pendingDeletes().add(rep.getHandle());
            return -1;
        }
        long txid = -1;
        if (rep.getVersion() > c.version()) {
            log.warn("chunk {}: {} reports version {} above the master's {}; adopting it",
                    Long.toHexString(c.handle()), s.id(), rep.getVersion(), c.version());
            for (int slot : c.replicas().clone()) {
                c.removeReplica(slot);
                core.servers.bySlot(slot).adjustChunkCount(-1);
            }
            txid = core.submit(MasterOp.newBuilder().setTimeNs(core.nowNs()).setSetChunkVersion(
                    SetChunkVersionOp.newBuilder().setHandle(c.handle()).setVersion(rep.getVersion())).build()).txid();
        }
        if (c.addReplica(s.slot())) {
            s.adjustChunkCount(1);
        }
        return txid;
    }

    /** Declares servers dead that have been silent for dead-after; their replicas leave the map. */
    void checkLiveness() {
        core.lock.writeLock().lock();
        try {
            long now = core.monoMs();
            for (ServerInfo s : core.servers.live()) {
                if (now - s.lastHeartbeatMs() > core.config.deadAfterMs()) {
                    log.warn("chunkserver {} at {} silent for {} ms: declared dead", s.id(), s.address(),
                            now - s.lastHeartbeatMs());
                    forgetReplicas(s);
                    core.servers.markDead(s);
                    core.metrics.serverDeclaredDead();
                }
            }
        } finally {
            core.lock.writeLock().unlock();
        }
    }

    private void forgetReplicas(ServerInfo s) {
        int slot = s.slot();
        core.state.chunks().forEach(c -> c.removeReplica(slot));
        core.replication.forgetServer(slot, core.monoMs());
        core.leases.revokeAll(slot);
    }
}
