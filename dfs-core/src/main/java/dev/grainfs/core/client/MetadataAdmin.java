package dev.grainfs.core.client;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.proto.CheckpointRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.SafeModeAction;
import dev.grainfs.core.wire.proto.SafeModeRequest;
import dev.grainfs.core.wire.proto.SafeModeResponse;

/**
 * Operator calls about the master's metadata: safe mode (get, enter, leave), "write a checkpoint
 * now", the cluster report, decommission and the balancer. Changes need root. Thread-safe; close when done.
 */
public final class MetadataAdmin implements AutoCloseable {
    private final RpcClient rpc;
    private final MasterClient master;
    private final ClientConfig config;

    /** The master's answer: on or off, why, and how far the chunkservers' reports have got. */
    public record SafeModeStatus(boolean on, boolean manual, long reportedChunks, long totalChunks, int liveServers,
                                 String line) {
    }

    private MetadataAdmin(ClientConfig config, WireSecurity security) {
        this.config = config;
        this.rpc = new RpcClient("grainfs-admin", 1, security);
        this.master = new MasterClient(rpc, config);
    }

    public static MetadataAdmin connect(ClientConfig config) {
        return connect(config, WireSecurity.NONE);
    }

    /** With the cluster key (and TLS) of a keyed cluster. */
    public static MetadataAdmin connect(ClientConfig config, WireSecurity security) {
        return new MetadataAdmin(config, security);
    }

    public SafeModeStatus safeModeGet() throws GrainException {
        return safeMode(SafeModeAction.SAFE_MODE_GET);
    }

    public SafeModeStatus safeModeEnter() throws GrainException {
        return safeMode(SafeModeAction.SAFE_MODE_ENTER);
    }

    public SafeModeStatus safeModeLeave() throws GrainException {
        return safeMode(SafeModeAction.SAFE_MODE_LEAVE);
    }

    private SafeModeStatus safeMode(SafeModeAction a) throws GrainException {
        SafeModeResponse r = master.call(config.caller(), Request.newBuilder()
                .setSafeMode(SafeModeRequest.newBuilder().setAction(a))).getSafeMode();
        return new SafeModeStatus(r.getOn(), r.getManual(), r.getReportedChunks(), r.getTotalChunks(),
                r.getLiveServers(), r.getStatus());
    }

    /** Has the master write a checkpoint now; returns the txid (last operation) it covers. */
    public long checkpoint() throws GrainException {
        return master.call(config.caller(), Request.newBuilder().setCheckpoint(CheckpointRequest.getDefaultInstance()))
                .getCheckpoint().getTxid();
    }

    /**
     * {@code grainfs failover}: asks the shadow master at the head of this admin's master list to become
     * the active master; returns the new epoch. It switches over after answering. Without {@code force}
     * a shadow that knows it is behind the master refuses (EAGAIN).
     */
    public long promote(boolean force) throws GrainException {
        return master.call(config.caller(), Request.newBuilder().setPromote(
                dev.grainfs.core.wire.proto.PromoteRequest.newBuilder().setForce(force))).getPromote().getEpoch();
    }

    /** The cluster report: {"cluster": {...}, "servers": [...], "jobs": {...}} as the master's /api/ endpoints give them. */
    public String reportJson() throws GrainException {
        return master.call(config.caller(), Request.newBuilder().setReport(
                dev.grainfs.core.wire.proto.ReportRequest.getDefaultInstance())).getReport().getJson();
    }

    /** Starts ({@code cancel} false) or cancels the decommission of a chunkserver (id or host:port). */
    public dev.grainfs.core.wire.proto.DecommissionResponse decommission(String server, boolean cancel)
            throws GrainException {
        return master.call(config.caller(), Request.newBuilder().setDecommission(
                dev.grainfs.core.wire.proto.DecommissionRequest.newBuilder().setServer(server).setCancel(cancel)))
                .getDecommission();
    }

    /** Balancer start (threshold in percent, bandwidth in bytes/s; 0 = default), status or stop. */
    public dev.grainfs.core.wire.proto.BalanceResponse balance(dev.grainfs.core.wire.proto.BalanceAction action,
                                                               double thresholdPct, long bandwidth) throws GrainException {
        return master.call(config.caller(), Request.newBuilder().setBalance(
                dev.grainfs.core.wire.proto.BalanceRequest.newBuilder().setAction(action).setThresholdPct(thresholdPct)
                        .setBandwidth(bandwidth))).getBalance();
    }

    @Override
    public void close() {
        rpc.close();
    }
}
