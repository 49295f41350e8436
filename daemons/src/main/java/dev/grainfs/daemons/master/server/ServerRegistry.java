package dev.grainfs.daemons.master.server;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.id.ServerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every chunkserver the master has heard of, each with a small integer slot that chunk replica
 * lists use instead of references. Guarded by the master's lock.
 */
public final class ServerRegistry {
    private final List<ServerInfo> bySlot = new ArrayList<>();
    private final Map<ServerId, ServerInfo> byId = new HashMap<>();

    /** Records a (re)registration; returns the server's slot, stable for the master's lifetime. */
    public ServerInfo register(ServerId id, HostPort address, String rack, long capacity, long used, long nowMs) {
        ServerInfo s = byId.get(id);
        if (s == null) {
            s = new ServerInfo(bySlot.size(), id);
            bySlot.add(s);
            byId.put(id, s);
        }
        s.address = address;
        s.rack = rack == null || rack.isEmpty() ? "/default" : rack;
        s.capacity = capacity;
        s.used = used;
        s.lastHeartbeatMs = nowMs;
        s.state = ServerInfo.State.LIVE;
        s.suspectUntilMs = 0;
        s.chunkCount = 0;
        return s;
    }

    public void heartbeat(ServerInfo s, long capacity, long used, int activeTransfers, long nowMs) {
        s.capacity = capacity;
        s.used = used;
        s.activeTransfers = activeTransfers;
        s.lastHeartbeatMs = nowMs;
    }

    public void markDead(ServerInfo s) {
        s.state = ServerInfo.State.DEAD;
        s.chunkCount = 0;
        s.pendingDeletes.clear();
    }

    public ServerInfo bySlot(int slot) {
        return bySlot.get(slot);
    }

    public ServerInfo byId(ServerId id) {
        return byId.get(id);
    }

    public List<ServerInfo> all() {
        return List.copyOf(bySlot);
    }

    public List<ServerInfo> live() {
        List<ServerInfo> out = new ArrayList<>();
        for (ServerInfo s : bySlot) {
            if (s.isLive()) {
                out.add(s);
            }
        }
        return out;
    }
}
