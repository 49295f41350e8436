package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.RpcCall;
import dev.grainfs.core.wire.RpcHandler;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.HeartbeatResponse;
import dev.grainfs.core.wire.proto.PromoteResponse;
import dev.grainfs.core.wire.proto.RegisterResponse;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatusCode;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadow master's requests: metadata reads (stat, list, readlink, statfs, locations) are served
 * from its copy of the state, on the I/O thread under the read lock; everything else is refused with
 * ENOTACTIVE naming the active master, so a client sent here by mistake knows where to go.
 */
final class ShadowRpc implements RpcHandler {
    private static final Logger log = LoggerFactory.getLogger(ShadowRpc.class);

    private final Supplier<ShadowMaster.Replica> replica;
    private final HostPort master;
    private final Exports exports;
    private final Promoter promoter;

    /** Makes this shadow the active master; returns the new epoch (the switch-over finishes after the answer). */
    interface Promoter {
        long promote(boolean force) throws GrainException;
    }

    ShadowRpc(Supplier<ShadowMaster.Replica> replica, HostPort master, Exports exports, Promoter promoter) {
        this.promoter = promoter;
        this.replica = replica;
        this.master = master;
        this.exports = exports;
    }

    @Override
    public void handle(RpcCall call) {
        Request r = call.request();
        try {
            call.reply(serve(r, permissions(call)));
        } catch (GrainException e) {
            call.fail(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("{} failed", r.getBodyCase(), e);
            call.fail(StatusCode.EIO, "shadow master error: " + e);
        }
    }

    private Response.Builder serve(Request r, Permissions p) throws GrainException {
        ShadowMaster.Replica s = replica.get();
        return switch (r.getBodyCase()) {
            case STAT -> s.namespace().stat(p, r.getStat().getPath(), r.getStat().getNoFollow());
            case LIST -> s.namespace().list(p, r.getList());
            case READLINK -> s.namespace().readlink(p, r.getReadlink().getPath());
            case STATFS -> s.namespace().statfs(p);
            case GET_LOCATIONS -> s.chunks().locations(p, r.getGetLocations());
            // chunkservers report to the shadow too, so that once promoted it knows every replica at once;
            // it gives them no orders (epoch 0)
            case REGISTER -> s.servers().register(r.getRegister()).setRegister(RegisterResponse.newBuilder()
                    .setHeartbeatMs(s.core().config.heartbeatMs()));
            case HEARTBEAT -> Response.newBuilder().setHeartbeat(HeartbeatResponse.newBuilder()
                    .setReregister(s.servers().heartbeat(r.getHeartbeat()).getHeartbeat().getReregister()));
            case PROMOTE -> {
                p.requireSuperuser("failover");
                yield Response.newBuilder().setPromote(PromoteResponse.newBuilder().setEpoch(promoter.promote(r.getPromote().getForce())));
            }
            default -> throw GrainException.of(StatusCode.ENOTACTIVE, "this is a shadow master (read-only): send %s to "
                    + "the active master at %s", r.getBodyCase(), master);
        };
    }

    private Permissions permissions(RpcCall call) {
        Request r = call.request();
        Caller c = exports.effective(call.channel().remoteAddress(),
                r.hasCaller() ? r.getCaller() : Caller.getDefaultInstance());
        return new Permissions(c, exports.superuser(c));
    }
}
