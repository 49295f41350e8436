package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.RpcCall;
import dev.grainfs.core.wire.RpcHandler;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatusCode;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes master requests to their service. Reads run on the I/O thread (they only take the read
 * lock briefly); mutations go to a worker pool because they wait for the log's group commit.
 */
final class MasterRpc implements RpcHandler {
    private static final Logger log = LoggerFactory.getLogger(MasterRpc.class);

    private final NamespaceService namespace;
    private final ChunkService chunks;
    private final ServerService servers;
    private final AdminService admin;
    private final SafeMode safeMode;
    private HealingService healing;
    private final ExecutorService workers;
    private Exports exports = Exports.OPEN;

    MasterRpc(NamespaceService namespace, ChunkService chunks, ServerService servers, AdminService admin,
              SafeMode safeMode, ExecutorService workers) {
        this.namespace = namespace;
        this.chunks = chunks;
        this.servers = servers;
        this.admin = admin;
        this.safeMode = safeMode;
        this.workers = workers;
    }

    /** Adds the self-healing admin requests (fsck). */
    MasterRpc withHealing(HealingService h) {
        this.healing = h;
        return this;
    }

    /** Applies root squashing and the superuser group of {@code e} to every caller. */
    MasterRpc withExports(Exports e) {
        this.exports = e;
        return this;
    }

    @Override
    public void handle(RpcCall call) {
        switch (call.request().getBodyCase()) {
            case STAT, LIST, READLINK, STATFS, GET_LOCATIONS -> serve(call);
            case MKDIR, CREATE, DELETE, RENAME, SET_ATTR, SYMLINK, TRUNCATE, GET_WRITE_LEASE, COMMIT_SIZE -> {
                try {
                    safeMode.refuseMutation();
                    workers.execute(() -> serve(call));
                } catch (GrainException e) {
                    call.fail(e.status(), e.getMessage());
                } catch (RejectedExecutionException e) {
                    call.fail(StatusCode.EAGAIN, "master is shutting down");
                }
            }
            default -> {
                try {
                    workers.execute(() -> serve(call));
                } catch (RejectedExecutionException e) {
                    call.fail(StatusCode.EAGAIN, "master is shutting down");
                }
            }
        }
    }

    private void serve(RpcCall call) {
        Request r = call.request();
        Caller c = exports.effective(call.channel().remoteAddress(), r.hasCaller() ? r.getCaller() : Caller.getDefaultInstance());
        Permissions p = new Permissions(c, exports.superuser(c));
        try {
            call.reply(dispatch(p, r));
        } catch (GrainException e) {
            call.fail(e.status(), e.getMessage());
        } catch (MasterCore.JournalFailure e) {
            log.error("FATAL: {}", e.getMessage(), e);
            call.fail(StatusCode.EIO, e.getMessage());
        } catch (RuntimeException e) {
            log.error("{} failed", r.getBodyCase(), e);
            call.fail(StatusCode.EIO, "master error: " + e);
        }
    }

    private Response.Builder dispatch(Permissions p, Request r) throws GrainException {
        return switch (r.getBodyCase()) {
            case MKDIR -> namespace.mkdir(p, r.getMkdir());
            case CREATE -> namespace.create(p, r.getCreate());
            case STAT -> namespace.stat(p, r.getStat().getPath(), r.getStat().getNoFollow());
            case LIST -> namespace.list(p, r.getList());
            case DELETE -> namespace.delete(p, r.getDelete());
            case RENAME -> namespace.rename(p, r.getRename());
            case SET_ATTR -> namespace.setAttr(p, r.getSetAttr());
            case SYMLINK -> namespace.symlink(p, r.getSymlink());
            case READLINK -> namespace.readlink(p, r.getReadlink().getPath());
            case TRUNCATE -> namespace.truncate(p, r.getTruncate());
            case STATFS -> namespace.statfs();
            case GET_LOCATIONS -> chunks.locations(p, r.getGetLocations());
            case GET_WRITE_LEASE -> chunks.writeLease(p, r.getGetWriteLease());
            case COMMIT_SIZE -> chunks.commitSize(p, r.getCommitSize());
            case REPORT_BAD_REPLICA -> chunks.reportBadReplica(r.getReportBadReplica());
            case REGISTER -> servers.register(r.getRegister());
            case HEARTBEAT -> servers.heartbeat(r.getHeartbeat());
            case SAFE_MODE -> admin.safeMode(p, r.getSafeMode());
            case CHECKPOINT -> admin.checkpoint(p);
            case FSCK -> healing.fsck(p, r.getFsck());
            default -> throw GrainException.of(StatusCode.ENOTSUP, "the master does not serve %s", r.getBodyCase());
        };
    }
}
