package dev.grainfs.daemons.chunkserver;

import dev.grainfs.core.wire.proto.HeartbeatRequest;
import dev.grainfs.core.wire.proto.ReplicaReport;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Replica changes since the last heartbeat (added or re-versioned, removed, found corrupt), drained
 * into each heartbeat. Every master the server reports to (the active one and its shadow) has its own
 * queue, so each hears of every change. Thread-safe. A change survives a failed heartbeat: it is put back.
 */
final class ChunkReports {
    private final Queue[] queues;

    /** Reports for one master. */
    ChunkReports() {
        this(1);
    }

    /** Reports for {@code masters} masters, drained by index. */
    ChunkReports(int masters) {
        queues = new Queue[Math.max(1, masters)];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new Queue();
        }
    }

    private static final class Queue {
        final Map<Long, ReplicaReport> added = new LinkedHashMap<>();
        final Set<Long> removed = new LinkedHashSet<>();
        final Set<Long> corrupt = new LinkedHashSet<>();
    }

    synchronized void added(long handle, long version, long length) {
        ReplicaReport r = ReplicaReport.newBuilder().setHandle(handle).setVersion(version).setLength(length).build();
        for (Queue q : queues) {
            q.removed.remove(handle);
            q.added.put(handle, r);
        }
    }

    synchronized void removed(long handle) {
        for (Queue q : queues) {
            q.added.remove(handle);
            q.removed.add(handle);
        }
    }

    synchronized void corrupt(long handle) {
        for (Queue q : queues) {
            q.corrupt.add(handle);
        }
    }

    synchronized boolean isReportedCorrupt(long handle) {
        return queues[0].corrupt.contains(handle);
    }

    /** Moves the pending changes into {@code hb}. */
    Drained drainInto(HeartbeatRequest.Builder hb) {
        return drainInto(0, hb);
    }

    /** Moves the changes pending for master {@code i} into {@code hb}. */
    synchronized Drained drainInto(int i, HeartbeatRequest.Builder hb) {
        Queue q = queues[i];
        Drained d = new Drained(Map.copyOf(q.added), Set.copyOf(q.removed), Set.copyOf(q.corrupt));
        hb.addAllAdded(q.added.values()).addAllRemoved(q.removed).addAllCorrupt(q.corrupt);
        q.added.clear();
        q.removed.clear();
        q.corrupt.clear();
        return d;
    }

    void restore(Drained d) {
        restore(0, d);
    }

    /** Puts back changes whose heartbeat to master {@code i} failed (newer changes win). */
    synchronized void restore(int i, Drained d) {
        Queue q = queues[i];
        d.added.forEach(q.added::putIfAbsent);
        for (long h : d.removed) {
            if (!q.added.containsKey(h)) {
                q.removed.add(h);
            }
        }
        q.corrupt.addAll(d.corrupt);
    }

    record Drained(Map<Long, ReplicaReport> added, Set<Long> removed, Set<Long> corrupt) {
    }
}
