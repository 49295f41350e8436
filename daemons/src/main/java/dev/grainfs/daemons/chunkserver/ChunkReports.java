package dev.grainfs.daemons.chunkserver;

import dev.grainfs.core.wire.proto.HeartbeatRequest;
import dev.grainfs.core.wire.proto.ReplicaReport;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Replica changes since the last heartbeat (added or re-versioned, removed, found corrupt), drained
 * into each heartbeat. Thread-safe. A change survives a failed heartbeat: it is put back.
 */
final class ChunkReports {
    private final Map<Long, ReplicaReport> added = new LinkedHashMap<>();
    private final Set<Long> removed = new LinkedHashSet<>();
    private final Set<Long> corrupt = new LinkedHashSet<>();

    synchronized void added(long handle, long version, long length) {
        removed.remove(handle);
        added.put(handle, ReplicaReport.newBuilder().setHandle(handle).setVersion(version).setLength(length).build());
    }

    synchronized void removed(long handle) {
        added.remove(handle);
        removed.add(handle);
    }

    synchronized void corrupt(long handle) {
        corrupt.add(handle);
    }

    synchronized boolean isReportedCorrupt(long handle) {
        return corrupt.contains(handle);
    }

    /** Moves the pending changes into {@code hb}. */
    synchronized Drained drainInto(HeartbeatRequest.Builder hb) {
        Drained d = new Drained(Map.copyOf(added), Set.copyOf(removed), Set.copyOf(corrupt));
        hb.addAllAdded(added.values()).addAllRemoved(removed).addAllCorrupt(corrupt);
        added.clear();
        removed.clear();
        corrupt.clear();
        return d;
    }

    /** Puts back changes whose heartbeat failed (newer changes win). */
    synchronized void restore(Drained d) {
        d.added.forEach(added::putIfAbsent);
        for (long h : d.removed) {
            if (!added.containsKey(h)) {
                removed.add(h);
            }
        }
        corrupt.addAll(d.corrupt);
    }

    record Drained(Map<Long, ReplicaReport> added, Set<Long> removed, Set<Long> corrupt) {
    }
}
