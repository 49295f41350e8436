package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.BalanceRequest;
import dev.grainfs.core.wire.proto.BalanceResponse;
import dev.grainfs.core.wire.proto.DecommissionRequest;
import dev.grainfs.core.wire.proto.DecommissionResponse;
import dev.grainfs.core.wire.proto.ReportResponse;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.core.http.Json;
import dev.grainfs.daemons.master.balancer.Balancer;
import dev.grainfs.daemons.master.op.DecommissionOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.server.ServerInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator requests about the chunkservers: the report (the status page's JSON, one document),
 * decommission and its cancel (a logged op, so a restart keeps it), and the balancer (start, status,
 * stop; it runs on the master's timer). Changing anything needs root; anyone may look.
 */
final class ClusterAdminService {
    private static final Logger log = LoggerFactory.getLogger(ClusterAdminService.class);

    private final MasterCore core;
    private final MasterStatus status;
    private java.util.function.BooleanSupplier inSafeMode = () -> false;

    ClusterAdminService(MasterCore core, MasterStatus status) {
        this.core = core;
        this.status = status;
    }

    /** In safe mode the balancer starts no moves (the replica map is incomplete). */
    ClusterAdminService holdWhile(java.util.function.BooleanSupplier safeMode) {
        this.inSafeMode = safeMode;
        return this;
    }

    /** {"cluster": /api/cluster, "servers": /api/servers .servers, "jobs": /api/jobs} (docs/observability.md). */
    Response.Builder report() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", status.cluster());
        m.put("servers", status.servers().get("servers"));
        m.put("jobs", status.jobs());
        return Response.newBuilder().setReport(ReportResponse.newBuilder().setJson(Json.write(m)));
    }

    Response.Builder decommission(Permissions p, DecommissionRequest r) throws GrainException {
        p.requireSuperuser(r.getCancel() ? "decommission --cancel" : "decommission");
        long txid = -1;
        ServerInfo s;
        core.lock.writeLock().lock();
        try {
            s = find(r.getServer());
            if (r.getCancel() != s.isDecommissioning()) {
                // an already decommissioning server is not an error: --wait may follow a first request
                if (r.getCancel()) {
                    throw GrainException.of(StatusCode.EINVAL, "%s is not being decommissioned", s.id());
                }
            } else {
                txid = core.submit(MasterOp.newBuilder().setTimeNs(core.nowNs()).setDecommission(
                        DecommissionOp.newBuilder().setServerId(s.id().value()).setCancel(r.getCancel())).build()).txid();
                s.setDecommissioning(!r.getCancel());
                log.info("chunkserver {} at {}: decommission {}", s.id(), s.address(), r.getCancel() ? "cancelled" : "started");
            }
        } finally {
            core.lock.writeLock().unlock();
        }
        if (txid >= 0) {
            core.sync(txid);
        }
        return Response.newBuilder().setDecommission(decommissionState(s));
    }

    private DecommissionResponse.Builder decommissionState(ServerInfo s) {
        core.lock.readLock().lock();
        try {
            return DecommissionResponse.newBuilder().setServerId(s.id().value()).setState(s.adminState())
                    // not counted yet (first scan pending): all of them, at most
                    .setChunksLeft(s.decommissionLeft() >= 0 ? s.decommissionLeft() : Math.max(0, s.chunkCount()));
        } finally {
            core.lock.readLock().unlock();
        }
    }

    /** A chunkserver by id, or by host:port. Caller holds the lock. */
    private ServerInfo find(String name) throws GrainException {
        if (name.isBlank()) {
            throw GrainException.of(StatusCode.EINVAL, "name a chunkserver (id or host:port)");
        }
        for (ServerInfo s : core.servers.all()) {
            if (s.id().value().equals(name) || String.valueOf(s.address()).equals(name)) {
                return s;
            }
        }
        throw GrainException.of(StatusCode.ENOENT, "no chunkserver %s (see report)", name);
    }

    Response.Builder balance(Permissions p, BalanceRequest r) throws GrainException {
        Balancer.Status s;
        core.lock.writeLock().lock();
        try {
            s = switch (r.getAction()) {
                case BALANCE_STATUS -> core.balancer.status();
                case BALANCE_START -> {
                    p.requireSuperuser("balance");
                    if (inSafeMode.getAsBoolean()) {
                        throw GrainException.of(StatusCode.EAGAIN, "balance: the master is in safe mode");
                    }
                    try {
                        yield core.balancer.start(r.getThresholdPct(), r.getBandwidth(), core.monoMs());
                    } catch (IllegalArgumentException e) {
                        throw GrainException.of(StatusCode.EINVAL, "balance: %s", e.getMessage());
                    }
                }
                case BALANCE_STOP -> {
                    p.requireSuperuser("balance --stop");
                    yield core.balancer.stop();
                }
                case UNRECOGNIZED -> throw GrainException.of(StatusCode.EINVAL, "unknown balance action");
            };
        } finally {
            core.lock.writeLock().unlock();
        }
        return Response.newBuilder().setBalance(BalanceResponse.newBuilder().setRunning(s.running())
                .setBalanced(s.balanced()).setThresholdPct(s.thresholdPct()).setBandwidth(s.bandwidth())
                .setChunksMoved(s.chunksMoved()).setBytesMoved(s.bytesMoved()).setBytesToMove(s.bytesToMove())
                .setMovesInFlight(s.inFlight()).setStatus(s.line()));
    }

    /** Timer: lets a running balancer start its next moves. */
    void balancerTick() {
        if (inSafeMode.getAsBoolean()) {
            return;
        }
        try {
            core.lock.writeLock().lock();
            try {
                core.balancer.tick(core.monoMs());
            } finally {
                core.lock.writeLock().unlock();
            }
        } catch (RuntimeException e) {
            log.error("balancer tick failed", e);
        }
    }
}
