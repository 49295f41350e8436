package dev.grainfs.daemons.master.server;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.id.ServerId;
import dev.grainfs.core.wire.proto.ServerAddress;
import java.util.LinkedHashSet;
import java.util.Set;

/** What the master knows of one chunkserver; changed under the master's lock. */
public final class ServerInfo {
    public enum State { LIVE, DEAD }

    private final int slot;
    private final ServerId id;
    HostPort address;
    String rack;
    long capacity;
    long used;
    int activeTransfers;
    long lastHeartbeatMs;
    long chunkCount;
    State state = State.LIVE;
    /** Until then (monotonic ms) placement avoids this server: a call to it just failed. */
    volatile long suspectUntilMs;
    final Set<Long> pendingDeletes = new LinkedHashSet<>();
    /** An operator decommissioned it: no new replicas, its replicas are copied elsewhere. */
    boolean decommissioning;
    /** Its chunks still short of full replication elsewhere, as of the last replication scan (-1: unknown). */
    long decommissionLeft = -1;

    ServerInfo(int slot, ServerId id) {
        this.slot = slot;
        this.id = id;
    }

    public int slot() {
        return slot;
    }

    public ServerId id() {
        return id;
    }

    public HostPort address() {
        return address;
    }

    public String rack() {
        return rack;
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return used;
    }

    public long free() {
        return Math.max(0, capacity - used);
    }

    public int activeTransfers() {
        return activeTransfers;
    }

    public long lastHeartbeatMs() {
        return lastHeartbeatMs;
    }

    public long chunkCount() {
        return chunkCount;
    }

    public void adjustChunkCount(int delta) {
        chunkCount += delta;
    }

    public State state() {
        return state;
    }

    public void markSuspect(long untilMs) {
        suspectUntilMs = untilMs;
    }

    public boolean isSuspect(long nowMs) {
        return nowMs < suspectUntilMs;
    }

    public boolean isLive() {
        return state == State.LIVE;
    }

    /** True once an operator decommissioned it (until a cancel): placement skips it. */
    public boolean isDecommissioning() {
        return decommissioning;
    }

    /** Starts or (false) cancels the decommission; progress is unknown until the next scan. */
    public void setDecommissioning(boolean on) {
        if (on != decommissioning) {
            decommissionLeft = -1;
        }
        decommissioning = on;
    }

    /** A live server whose replicas count towards a chunk's replication (not being decommissioned). */
    public boolean countsAsReplica() {
        return isLive() && !decommissioning;
    }

    public long decommissionLeft() {
        return decommissionLeft;
    }

    /** The replication scan counted {@code n} of its chunks still short of full replication elsewhere. */
    public void setDecommissionLeft(long n) {
        decommissionLeft = n;
    }

    /** LIVE, DEAD, DECOMMISSIONING or DECOMMISSIONED (every replica copied: safe to switch off). */
    public String adminState() {
        if (decommissioning && decommissionLeft == 0) {
            return "DECOMMISSIONED";
        }
        if (decommissioning && isLive()) {
            return "DECOMMISSIONING";
        }
        return state.name();
    }

    /** Replicas this server should delete, handed out in heartbeat replies. */
    public Set<Long> pendingDeletes() {
        return pendingDeletes;
    }

    public ServerAddress toWire() {
        return ServerAddress.newBuilder().setServerId(id.value()).setHost(address.host()).setPort(address.port())
                .setRack(rack == null ? "" : rack).build();
    }
}
