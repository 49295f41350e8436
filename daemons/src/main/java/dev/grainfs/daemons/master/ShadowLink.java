package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.ShadowPullRequest;
import dev.grainfs.core.wire.proto.ShadowPullResponse;
import dev.grainfs.core.wire.proto.ShadowSnapshotRequest;
import dev.grainfs.core.wire.proto.ShadowSnapshotResponse;
import dev.grainfs.daemons.master.op.MasterOp;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadow's side of the log stream: one thread that pulls the master's ops, has the
 * {@link ShadowMaster} apply and fsync them, and acknowledges them with the next pull. When the
 * master no longer keeps the ops it needs (the shadow was away, or is new) it reads a snapshot and
 * starts from that. An unreachable master is retried every half second, logged once per outage.
 */
final class ShadowLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShadowLink.class);
    static final int WAIT_MS = 1_000;
    static final long RETRY_MS = 500;
    /** A pull's answer may take its wait plus this long. */
    static final long CALL_SLACK_MS = 10_000;

    private final ShadowMaster shadow;
    private final RpcClient rpc;
    private final HostPort master;
    private final String id;
    private final String address;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean connected;
    private boolean failureLogged; // link thread only: one line per outage
    private volatile long masterTxid;
    private volatile long epoch;

    ShadowLink(ShadowMaster shadow, RpcClient rpc, HostPort master, String id, String address) {
        this.shadow = shadow;
        this.rpc = rpc;
        this.master = master;
        this.id = id;
        this.address = address;
        this.thread = new Thread(this::run, "shadow-link");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean connected() {
        return connected;
    }

    long masterTxid() {
        return masterTxid;
    }

    long epoch() {
        return epoch;
    }

    private void run() {
        while (!closed) {
            try {
                pullOnce();
                if (!connected) {
                    connected = true;
                    failureLogged = false;
                    log.info("following the master at {} from txid {}", master, shadow.appliedTxid());
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (connected) {
                    log.warn("lost the master at {}: {}; retrying every {} ms", master, e.getMessage(), RETRY_MS);
                } else if (!failureLogged) {
                    log.warn("cannot follow the master at {}: {}; retrying every {} ms", master, e.getMessage(),
                            RETRY_MS);
                }
                failureLogged = true;
                connected = false;
                try {
                    Thread.sleep(RETRY_MS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void pullOnce() throws IOException, GrainException, InterruptedException {
        ShadowMaster.Replica r = shadow.replica();
        long after = r.storage().lastTxid();
        ShadowPullRequest.Builder pull = ShadowPullRequest.newBuilder().setShadowId(id).setAddress(address)
                .setAfterTxid(after).setDurableTxid(r.storage().durableTxid()).setWaitMs(WAIT_MS);
        try (Reply reply = call(Request.newBuilder().setShadowPull(pull).build(), WAIT_MS + CALL_SLACK_MS)) {
            ShadowPullResponse p = reply.response().getShadowPull();
            masterTxid = p.getLastTxid();
            epoch = p.getEpoch();
            if (p.getSnapshotNeeded()) {
                log.info("the master no longer keeps the ops after txid {} (it is at {}): fetching a snapshot",
                        after, p.getLastTxid());
                fetchSnapshot();
                return;
            }
            List<MasterOp> ops = decode(reply.payload(), p.getCount());
            if (ops.isEmpty()) {
                return;
            }
            try {
                shadow.apply(p.getFirstTxid(), ops);
            } catch (IOException e) {
                log.error("DIVERGED: the master's ops from txid {} do not apply here ({}): fetching a snapshot",
                        p.getFirstTxid(), e.getMessage());
                fetchSnapshot();
            }
        }
    }

    private static List<MasterOp> decode(ByteBuf payload, int count) throws IOException {
        List<MasterOp> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (payload.readableBytes() < 4) {
                throw new IOException("shadow stream: payload ends before op " + i + " of " + count);
            }
            int len = payload.readInt();
            if (len < 0 || len > payload.readableBytes()) {
                throw new IOException("shadow stream: op " + i + " has a bad length " + len);
            }
            byte[] b = new byte[len];
            payload.readBytes(b);
            ops.add(MasterOp.parseFrom(b));
        }
        return ops;
    }

    private void fetchSnapshot() throws IOException, GrainException, InterruptedException {
        long txid = 0;
        byte[] image = null;
        int have = 0;
        while (image == null || have < image.length) {
            ShadowSnapshotRequest.Builder req = ShadowSnapshotRequest.newBuilder().setTxid(txid).setOffset(have);
            try (Reply reply = call(Request.newBuilder().setShadowSnapshot(req).build(), CALL_SLACK_MS * 3)) {
                ShadowSnapshotResponse s = reply.response().getShadowSnapshot();
                if (image == null) {
                    if (s.getTotalBytes() > Integer.MAX_VALUE - 16) {
                        throw new IOException("snapshot of " + s.getTotalBytes() + " bytes is too large to fetch");
                    }
                    txid = s.getTxid();
                    image = new byte[(int) s.getTotalBytes()];
                }
                int n = reply.payload().readableBytes();
                if (n == 0 && have < image.length) {
                    throw new IOException("snapshot piece at " + have + " is empty");
                }
                reply.payload().readBytes(image, have, n);
                have += n;
            }
        }
        shadow.install(txid, image, image.length);
        log.info("installed the master's snapshot at txid {} ({} bytes)", txid, image.length);
    }

    private Reply call(Request request, long timeoutMs) throws IOException, GrainException, InterruptedException {
        try {
            return rpc.call(master, request, timeoutMs).get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw GrainException.from(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer from " + master + " in " + timeoutMs + " ms");
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
