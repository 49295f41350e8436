package dev.grainfs.daemons.chunkserver;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.proto.HeartbeatRequest;
import dev.grainfs.core.wire.proto.HeartbeatResponse;
import dev.grainfs.core.wire.proto.RegisterRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.ServerAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This chunkserver's conversation with one master: register with a full chunk report, then
 * heartbeat with incremental reports; re-register when the master asks (it restarted) and keep
 * trying while it is unreachable. Called from one timer thread.
 */
final class MasterLink {
    private static final Logger log = LoggerFactory.getLogger(MasterLink.class);
    private static final long CALL_TIMEOUT_MS = 10_000;

    private final HostPort master;
    private final RpcClient rpc;
    private final ChunkServer server;
    private final Consumer<HeartbeatResponse> onCommands;
    private final int index;
    private final MasterEpoch epoch;
    private boolean registered;
    private boolean fencedLogged;
    private boolean unreachableLogged;
    private volatile long lastContactMs;

    MasterLink(HostPort master, RpcClient rpc, ChunkServer server, Consumer<HeartbeatResponse> onCommands) {
        this(master, 0, new MasterEpoch(), rpc, server, onCommands);
    }

    /** The link to master {@code index} of the server's list; orders are obeyed only from the newest epoch. */
    MasterLink(HostPort master, int index, MasterEpoch epoch, RpcClient rpc, ChunkServer server,
               Consumer<HeartbeatResponse> onCommands) {
        this.index = index;
        this.epoch = epoch;
        this.master = master;
        this.rpc = rpc;
        this.server = server;
        this.onCommands = onCommands;
    }

    HostPort master() {
        return master;
    }

    boolean registered() {
        return registered;
    }

    /** One tick: register if needed, else heartbeat. */
    void tick() {
        try {
            if (!registered) {
                register();
            } else {
                heartbeat();
            }
            if (unreachableLogged) {
                log.info("master {} reachable again", master);
                unreachableLogged = false;
            }
            lastContactMs = System.currentTimeMillis();
        } catch (GrainException e) {
            if (!unreachableLogged) {
                log.warn("master {}: {}", master, e.getMessage());
                unreachableLogged = true;
            }
            registered = false;
        }
    }

    private void register() throws GrainException {
        ServerAddress self = server.selfAddress();
        RegisterRequest.Builder r = RegisterRequest.newBuilder().setAddress(self)
                .setCapacity(server.store().capacityBytes()).setUsed(server.store().usedBytes())
                .addAllReplicas(server.store().report());
        try (Reply reply = rpc.call(master, Request.newBuilder().setEpoch(epoch.highest()).setRegister(r).build(),
                CALL_TIMEOUT_MS).join()) {
            epoch.admit(reply.response().getRegister().getEpoch(), master);
            registered = true;
            log.info("registered with master {} ({} replicas reported)", master, r.getReplicasCount());
        } catch (RuntimeException e) {
            throw GrainException.from(e);
        }
    }

    private void heartbeat() throws GrainException {
        HeartbeatRequest.Builder hb = HeartbeatRequest.newBuilder().setServerId(server.id())
                .setCapacity(server.store().capacityBytes()).setUsed(server.store().usedBytes())
                .setChunkCount(server.store().count()).setActiveTransfers(server.activeTransfers())
                .addAllLeaseRenewals(server.leasesToRenew());
        ChunkReports.Drained drained = server.reports().drainInto(index, hb);
        HeartbeatResponse resp;
        try (Reply reply = rpc.call(master, Request.newBuilder().setEpoch(epoch.highest()).setHeartbeat(hb).build(),
                CALL_TIMEOUT_MS).join()) {
            resp = reply.response().getHeartbeat();
        } catch (RuntimeException e) {
            server.reports().restore(index, drained);
            throw GrainException.from(e);
        }
        if (resp.getReregister()) {
            server.reports().restore(index, drained);
            registered = false;
            register();
            return;
        }
        if (epoch.admit(resp.getEpoch(), master)) {
            fencedLogged = false;
            onCommands.accept(resp);
        } else if (resp.getEpoch() > 0 && !fencedLogged) {
            log.warn("master {} is of epoch {}, older than {}: its orders are ignored", master, resp.getEpoch(),
                    epoch.highest());
            fencedLogged = true;
        }
    }
}
