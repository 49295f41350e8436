package dev.grainfs.daemons.master;

import dev.grainfs.core.wire.RpcCall;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.ShadowPullRequest;
import dev.grainfs.core.wire.proto.ShadowPullResponse;
import dev.grainfs.core.wire.proto.ShadowSnapshotRequest;
import dev.grainfs.core.wire.proto.ShadowSnapshotResponse;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.storage.MasterStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/**
 * Serves the shadow master's pulls of the operation log and its snapshot reads (see the
 * ShadowPull and ShadowSnapshot messages in grainfs.proto). Runs on the worker pool: a pull blocks
 * until an op is logged or its wait ends.
 */
final class ShadowService {
    /** The longest a pull waits for a new op; the shadow pulls again at once. */
    static final long MAX_WAIT_MS = 1_000;
    /** Bytes of snapshot sent per answer. */
    static final int SNAPSHOT_PIECE = 8 << 20;

    private final MasterCore core;
    private MasterStorage.Snapshot snapshot; // guarded by this: the one being read by the shadow

    ShadowService(MasterCore core) {
        this.core = core;
    }

    void pull(RpcCall call) {
        ShadowPullRequest r = call.request().getShadowPull();
        if (r.getShadowId().isEmpty()) {
            call.fail(StatusCode.EINVAL, "shadow pull without a shadow id");
            return;
        }
        ShadowFeed.Batch b;
        try {
            b = core.shadows.pull(r.getShadowId(), r.getAddress(), r.getAfterTxid(), r.getDurableTxid(),
                    Math.min(MAX_WAIT_MS, r.getWaitMs()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.fail(StatusCode.EAGAIN, "master is shutting down");
            return;
        }
        ShadowPullResponse.Builder out = ShadowPullResponse.newBuilder().setEpoch(core.epoch());
        if (b == null) {
            call.reply(Response.newBuilder().setShadowPull(out.setSnapshotNeeded(true).setLastTxid(core.lastTxid())));
            return;
        }
        ByteBuf payload = Unpooled.buffer();
        for (MasterOp op : b.ops()) {
            byte[] bytes = op.toByteArray();
            payload.writeInt(bytes.length).writeBytes(bytes);
        }
        call.reply(Response.newBuilder().setShadowPull(out.setFirstTxid(b.firstTxid()).setCount(b.ops().size())
                .setLastTxid(b.lastTxid())), payload);
    }

    void snapshot(RpcCall call) {
        ShadowSnapshotRequest r = call.request().getShadowSnapshot();
        MasterStorage.Snapshot s;
        try {
            s = snapshotFor(r.getTxid());
        } catch (IOException e) {
            call.fail(StatusCode.EIO, "snapshot failed: " + e.getMessage());
            return;
        }
        if (s == null) {
            call.fail(StatusCode.ESTALE, "snapshot " + r.getTxid() + " is gone: start again");
            return;
        }
        if (r.getOffset() < 0 || r.getOffset() > s.length()) {
            call.fail(StatusCode.EINVAL, "snapshot offset " + r.getOffset() + " beyond its " + s.length() + " bytes");
            return;
        }
        int from = (int) r.getOffset();
        int n = Math.min(SNAPSHOT_PIECE, s.length() - from);
        call.reply(Response.newBuilder().setShadowSnapshot(ShadowSnapshotResponse.newBuilder().setTxid(s.txid())
                .setTotalBytes(s.length())), Unpooled.wrappedBuffer(s.bytes(), from, n));
    }

    /** A new snapshot for txid 0, the current one for its txid, null if that one is gone. */
    private synchronized MasterStorage.Snapshot snapshotFor(long txid) throws IOException {
        if (txid == 0) {
            core.lock.readLock().lock();
            try {
                snapshot = MasterStorage.Snapshot.of(core.lastTxid(), core.state);
            } finally {
                core.lock.readLock().unlock();
            }
            core.shadows.snapshotTaken(snapshot.txid());
            return snapshot;
        }
        return snapshot != null && snapshot.txid() == txid ? snapshot : null;
    }
}
