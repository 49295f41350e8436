package dev.grainfs.daemons.master.lease;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Chunk leases: which replica is the primary of a chunk being written, and until when. A lease is
 * granted elsewhere only after the old one expired (or its holder died). Guarded by the master's lock.
 */
public final class LeaseManager {
    /** A granted lease; expiry in the master's monotonic milliseconds. */
    public record Lease(long handle, int primarySlot, long version, long expiresMs) {
    }

    private final long leaseMs;
    private final Map<Long, Lease> leases = new HashMap<>();

    public LeaseManager(long leaseMs) {
        this.leaseMs = leaseMs;
    }

    public long leaseMs() {
        return leaseMs;
    }

    /** The unexpired lease on {@code handle}, or null. */
    public Lease valid(long handle, long nowMs) {
        Lease l = leases.get(handle);
        if (l != null && l.expiresMs() <= nowMs) {
            leases.remove(handle);
            return null;
        }
        return l;
    }

    public Lease grant(long handle, int primarySlot, long version, long nowMs) {
        Lease l = new Lease(handle, primarySlot, version, nowMs + leaseMs);
        leases.put(handle, l);
        return l;
    }

    /** Extends the lease if {@code slot} still holds it; returns whether it did. */
    public boolean renew(long handle, int slot, long nowMs) {
        Lease l = valid(handle, nowMs);
        if (l == null || l.primarySlot() != slot) {
            return false;
        }
        leases.put(handle, new Lease(handle, slot, l.version(), nowMs + leaseMs));
        return true;
    }

    public void revoke(long handle) {
        leases.remove(handle);
    }

    /** Drops every lease held by a server that died. */
    public void revokeAll(int slot) {
        for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
            if (it.next().primarySlot() == slot) {
                it.remove();
            }
        }
    }

    public int size() {
        return leases.size();
    }
}
