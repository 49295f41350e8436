package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.CheckpointResponse;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.SafeModeRequest;
import dev.grainfs.core.wire.proto.SafeModeResponse;
import dev.grainfs.core.wire.proto.StatusCode;
import java.io.IOException;

/**
 * Operator requests about the master's metadata: safe mode get/enter/leave and "checkpoint now".
 * Changing anything needs root; anyone may look.
 */
final class AdminService {
    /** Writes a checkpoint now and returns the txid it covers (Master.checkpoint). */
    interface Checkpointer {
        long checkpoint() throws IOException;
    }

    private final SafeMode safeMode;
    private final Checkpointer checkpointer;

    AdminService(SafeMode safeMode, Checkpointer checkpointer) {
        this.safeMode = safeMode;
        this.checkpointer = checkpointer;
    }

    Response.Builder safeMode(Permissions p, SafeModeRequest r) throws GrainException {
        SafeMode.Status s = switch (r.getAction()) {
            case SAFE_MODE_GET -> safeMode.status();
            case SAFE_MODE_ENTER -> {
                requireRoot(p, "safemode enter");
                yield safeMode.enter();
            }
            case SAFE_MODE_LEAVE -> {
                requireRoot(p, "safemode leave");
                yield safeMode.leave();
            }
            case UNRECOGNIZED -> throw GrainException.of(StatusCode.EINVAL, "unknown safe mode action");
        };
        return Response.newBuilder().setSafeMode(SafeModeResponse.newBuilder().setOn(s.on())
                .setManual(s.state() == SafeMode.State.MANUAL).setReportedChunks(s.reportedChunks())
                .setTotalChunks(s.totalChunks()).setLiveServers(s.liveServers()).setStatus(s.line()));
    }

    Response.Builder checkpoint(Permissions p) throws GrainException {
        requireRoot(p, "checkpoint");
        try {
            return Response.newBuilder().setCheckpoint(CheckpointResponse.newBuilder()
                    .setTxid(checkpointer.checkpoint()));
        } catch (IOException e) {
            throw GrainException.of(StatusCode.EIO, "checkpoint failed: %s", e.getMessage());
        }
    }

    static void requireRoot(Permissions p, String what) throws GrainException {
        if (!p.isRoot()) {
            throw GrainException.of(StatusCode.EPERM, "%s: only root may do this", what);
        }
    }
}
