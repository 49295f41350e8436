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
 * Routes master requests to their service, on one of three paths:
 * <ol>
 *   <li>reads run on the I/O thread under the read lock and answer at once;
 *   <li>namespace mutations and size commits run on the I/O thread under the write lock (they only
 *       touch memory and append to the log) and are answered by the {@link Committer} once durable;
 *   <li>everything that waits on other servers (write leases, registration, heartbeats, admin) runs
 *       on the worker pool.
 * </ol>
 * In safe mode client mutations are refused with EAGAIN before they reach a service.
 */
final class MasterRpc implements RpcHandler {
    private static final Logger log = LoggerFactory.getLogger(MasterRpc.class);

    private final MasterCore core;
    private final NamespaceService namespace;
    private final ChunkService chunks;
    private final ServerService servers;
    private final AdminService admin;
    private final SafeMode safeMode;
    private final Committer committer;
    private HealingService healing;
    private ShadowService shadow;
    private ClusterAdminService cluster;
    private final ExecutorService workers;
    private Exports exports = Exports.OPEN;

    MasterRpc(MasterCore core, NamespaceService namespace, ChunkService chunks, ServerService servers,
              AdminService admin, SafeMode safeMode, Committer committer, ExecutorService workers) {
        this.core = core;
        this.namespace = namespace;
        this.chunks = chunks;
        this.servers = servers;
        this.admin = admin;
        this.safeMode = safeMode;
        this.committer = committer;
        this.workers = workers;
    }

    /** Adds the self-healing admin requests (fsck). */
    MasterRpc withHealing(HealingService h) {
        this.healing = h;
        return this;
    }

    /** Adds the shadow master's log stream (pulls and snapshot reads). */
    MasterRpc withShadow(ShadowService s) {
        this.shadow = s;
        return this;
    }

    /** Adds the cluster admin requests (report, decommission, balance). */
    MasterRpc withClusterAdmin(ClusterAdminService c) {
        this.cluster = c;
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
            // chunkservers tell the epoch they know (fencing); a client's claim is no evidence of a newer master
            case REGISTER, HEARTBEAT -> core.noteEpoch(call.request().getEpoch());
            default -> { }
        }
        switch (call.request().getBodyCase()) {
            case STAT, LIST, READLINK, STATFS, GET_LOCATIONS -> serve(call);
            case MKDIR, CREATE, DELETE, RENAME, SET_ATTR, SYMLINK, TRUNCATE, COMMIT_SIZE -> mutate(call);
            case GET_WRITE_LEASE -> {
                if (!refusedInSafeMode(call)) {
                    toWorkers(call);
                }
            }
            case SHADOW_PULL -> toWorkers(call, () -> shadow.pull(call));
            case SHADOW_SNAPSHOT -> toWorkers(call, () -> shadow.snapshot(call));
            default -> toWorkers(call);
        }
    }

    private void toWorkers(RpcCall call) {
        toWorkers(call, () -> serve(call));
    }

    private void toWorkers(RpcCall call, Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            call.fail(StatusCode.EAGAIN, "master is shutting down");
        }
    }

    private boolean refusedInSafeMode(RpcCall call) {
        try {
            core.refuseIfFenced();
            safeMode.refuseMutation();
            return false;
        } catch (GrainException e) {
            call.fail(e.status(), e.getMessage());
            return true;
        }
    }

    /** The caller as the exports see it from this connection's address (root squashed, superuser group). */
    private Permissions permissions(RpcCall call) {
        Request r = call.request();
        Caller c = exports.effective(call.channel().remoteAddress(), r.hasCaller() ? r.getCaller() : Caller.getDefaultInstance());
        return new Permissions(c, exports.superuser(c));
    }

    private void serve(RpcCall call) {
        Request r = call.request();
        try {
            call.reply(dispatch(permissions(call), r));
        } catch (GrainException | RuntimeException e) {
            fail(call, e);
        }
    }

    private void mutate(RpcCall call) {
        Request r = call.request();
        if (refusedInSafeMode(call)) {
            return;
        }
        MasterCore.Durable d;
        try {
            d = mutation(permissions(call), r);
        } catch (GrainException | RuntimeException e) {
            fail(call, e);
            return;
        }
        // nothing logged (say, the directory existed): still answer only once what it saw is durable
        long txid = d.txid() >= 0 ? d.txid() : core.lastTxid();
        committer.whenDurable(txid, failure -> {
            if (failure == null) {
                call.reply(d.response());
            } else {
                call.fail(StatusCode.EIO, failure.getMessage());
            }
        });
    }

    private void fail(RpcCall call, Exception e) {
        if (e instanceof GrainException g) {
            call.fail(g.status(), g.getMessage());
        } else if (e instanceof MasterCore.JournalFailure) {
            log.error("FATAL: {}", e.getMessage(), e);
            call.fail(StatusCode.EIO, e.getMessage());
        } else {
            log.error("{} failed", call.request().getBodyCase(), e);
            call.fail(StatusCode.EIO, "master error: " + e);
        }
    }

    private MasterCore.Durable mutation(Permissions p, Request r) throws GrainException {
        return switch (r.getBodyCase()) {
            case MKDIR -> namespace.mkdir(p, r.getMkdir());
            case CREATE -> namespace.create(p, r.getCreate());
            case DELETE -> namespace.delete(p, r.getDelete());
            case RENAME -> namespace.rename(p, r.getRename());
            case SET_ATTR -> namespace.setAttr(p, r.getSetAttr());
            case SYMLINK -> namespace.symlink(p, r.getSymlink());
            case TRUNCATE -> namespace.truncate(p, r.getTruncate());
            case COMMIT_SIZE -> chunks.commitSize(p, r.getCommitSize());
            default -> throw new IllegalArgumentException(r.getBodyCase() + " is not a namespace mutation");
        };
    }

    private Response.Builder dispatch(Permissions p, Request r) throws GrainException {
        return switch (r.getBodyCase()) {
            case STAT -> namespace.stat(p, r.getStat().getPath(), r.getStat().getNoFollow());
            case LIST -> namespace.list(p, r.getList());
            case READLINK -> namespace.readlink(p, r.getReadlink().getPath());
            case STATFS -> namespace.statfs(p);
            case GET_LOCATIONS -> chunks.locations(p, r.getGetLocations());
            case GET_WRITE_LEASE -> chunks.writeLease(p, r.getGetWriteLease());
            case REPORT_BAD_REPLICA -> chunks.reportBadReplica(r.getReportBadReplica());
            case REGISTER -> servers.register(r.getRegister());
            case HEARTBEAT -> servers.heartbeat(r.getHeartbeat());
            case SAFE_MODE -> admin.safeMode(p, r.getSafeMode());
            case CHECKPOINT -> admin.checkpoint(p);
            case FSCK -> healing.fsck(p, r.getFsck());
            case REPORT -> cluster.report();
            case DECOMMISSION -> cluster.decommission(p, r.getDecommission());
            case BALANCE -> cluster.balance(p, r.getBalance());
            default -> throw GrainException.of(StatusCode.ENOTSUP, "the master does not serve %s", r.getBodyCase());
        };
    }
}
