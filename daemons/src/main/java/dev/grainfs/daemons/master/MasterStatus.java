package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.daemons.master.namespace.DirInode;
import dev.grainfs.daemons.master.namespace.FileInode;
import dev.grainfs.daemons.master.namespace.Inode;
import dev.grainfs.daemons.master.namespace.SymlinkInode;
import dev.grainfs.daemons.master.server.ServerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the status page, the JSON API and the cluster gauges show, as plain maps and lists ready for
 * {@link dev.grainfs.core.http.Json}. The shapes are documented in docs/observability.md and are the
 * same that {@code grainfs report --json} prints.
 *
 * Cost: counts (files, chunks, servers, bytes) are O(servers) under the read lock and always fresh.
 * Replica health (under-replicated, missing) needs a walk of the whole chunk table, so it comes
 * from a background walk on one thread, in slices of {@link #SLICE_BUCKETS} hash buckets with the
 * read lock released between slices (a writer waits for one slice, not the whole walk). A request
 * that finds the health older than the refresh interval starts a new walk and answers with the
 * last one; nothing walks while nobody looks. The interval is at least 1 s and at least ten walks
 * long, so a watched cluster spends at most ~10% of a core on it.
 */
public final class MasterStatus implements AutoCloseable {
    static final long MIN_REFRESH_NS = 1_000_000_000L;
    static final int SLICE_BUCKETS = 1 << 14;
    /** A first request waits this long for the first walk (small clusters never show "unknown"). */
    private static final long FIRST_WALK_WAIT_MS = 150;
    private static final int LS_DEFAULT = 200;
    private static final int LS_MAX = 1_000;

    /**
     * Cluster totals; the replica health fields are -1 until the first walk finished and are
     * {@code healthAgeNs} old.
     */
    public record Summary(long files, long directories, long chunks, long underReplicated, long missing,
                          long capacityBytes, long usedBytes, int liveServers, int deadServers, long healthAgeNs,
                          long walkNanos) {
        public boolean healthKnown() {
            return underReplicated >= 0;
        }
    }

    /** Result of one walk of the chunk table. */
    private record Health(long underReplicated, long missing, long finishedNs, long walkNanos) {
    }

    private final MasterCore core;
    private final long startedNs = System.nanoTime();
    private final java.util.concurrent.ExecutorService walker = java.util.concurrent.Executors.newSingleThreadExecutor(
            Master.daemon("master-status-walk"));
    private final java.util.concurrent.atomic.AtomicBoolean walking = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Health health;
    private final java.util.concurrent.CountDownLatch firstWalk = new java.util.concurrent.CountDownLatch(1);

    MasterStatus(MasterCore core) {
        this.core = core;
    }

    /** Current counts plus the latest replica health; may start a background walk. Cheap. */
    public Summary summary() {
        Health h = health;
        if (h == null || System.nanoTime() - h.finishedNs() >= Math.max(MIN_REFRESH_NS, 10 * h.walkNanos())) {
            startWalk();
            if (h == null) {
                try {
                    firstWalk.await(FIRST_WALK_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                h = health;
            }
        }
        core.lock.readLock().lock();
        try {
            long capacity = 0;
            long used = 0;
            int live = 0;
            int dead = 0;
            for (ServerInfo s : core.servers.all()) {
                if (s.isLive()) {
                    live++;
                    capacity += s.capacity();
                    used += s.used();
                } else {
                    dead++;
                }
            }
            var tree = core.state.tree();
            return new Summary(tree.fileCount(), tree.dirCount(), core.state.chunks().size(),
                    h == null ? -1 : h.underReplicated(), h == null ? -1 : h.missing(), capacity, used, live, dead,
                    h == null ? -1 : System.nanoTime() - h.finishedNs(), h == null ? -1 : h.walkNanos());
        } finally {
            core.lock.readLock().unlock();
        }
    }

    /** Walks the chunk table now, on the caller's thread (tests; the report command may want it fresh). */
    public void refreshHealth() {
        walk();
    }

    private void startWalk() {
        if (walking.compareAndSet(false, true)) {
            try {
                walker.execute(() -> {
                    try {
                        walk();
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(MasterStatus.class).warn("status walk failed", e);
                    } finally {
                        walking.set(false);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                walking.set(false); // closing
            }
        }
    }

    private void walk() {
        long t0 = System.nanoTime();
        long[] counts = new long[2]; // under-replicated, missing
        java.util.function.Consumer<dev.grainfs.daemons.master.chunk.ChunkInfo> visit = c -> {
            int n = c.replicas().length;
            FileInode f = c.file();
            if (n == 0) {
                counts[1]++;
            }
            if (n == 0 || (f != null && n < f.replication())) {
                counts[0]++;
            }
        };
        for (int from = 0; ; from += SLICE_BUCKETS) {
            core.lock.readLock().lock();
            try {
                if (from >= core.state.chunks().buckets()) {
                    break;
                }
                core.state.chunks().forEachInBuckets(from, from + SLICE_BUCKETS, visit);
            } finally {
                core.lock.readLock().unlock();
            }
        }
        long now = System.nanoTime();
        health = new Health(counts[0], counts[1], now, now - t0);
        firstWalk.countDown();
    }

    @Override
    public void close() {
        walker.shutdownNow();
    }

    /** GET /api/cluster. */
    public Map<String, Object> cluster() {
        Summary s = summary();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", core.fenced() ? "fenced" : "active");
        m.put("epoch", core.epoch());
        m.put("safeMode", false);
        ShadowFeed.View shadow = core.shadows.view();
        m.put("shadowLagRecords", shadow == null ? null : shadow.lagOps());
        m.put("shadow", shadow == null ? null : shadowJson(shadow));
        m.put("uptimeSeconds", (System.nanoTime() - startedNs) / 1_000_000_000L);
        m.put("capacityBytes", s.capacityBytes());
        m.put("usedBytes", s.usedBytes());
        m.put("freeBytes", Math.max(0, s.capacityBytes() - s.usedBytes()));
        m.put("files", s.files());
        m.put("directories", s.directories());
        m.put("chunks", s.chunks());
        m.put("underReplicatedChunks", s.healthKnown() ? s.underReplicated() : null);
        m.put("missingChunks", s.healthKnown() ? s.missing() : null);
        m.put("corruptChunks", 0L);
        m.put("liveServers", s.liveServers());
        m.put("deadServers", s.deadServers());
        m.put("healthAgeMs", s.healthKnown() ? s.healthAgeNs() / 1_000_000L : null);
        m.put("healthWalkMs", s.healthKnown() ? s.walkNanos() / 1_000_000.0 : null);
        return m;
    }

    private static Map<String, Object> shadowJson(ShadowFeed.View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", v.address());
        m.put("synchronous", v.synchronous());
        m.put("ackedTxid", v.ackedTxid());
        m.put("lagRecords", v.lagOps());
        m.put("lastPullMsAgo", System.currentTimeMillis() - v.lastSeenMs());
        return m;
    }

    /** GET /api/servers. */
    public Map<String, Object> servers() {
        List<Object> rows = new ArrayList<>();
        core.lock.readLock().lock();
        try {
            long now = core.monoMs();
            for (ServerInfo s : core.servers.all()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", s.id().value());
                r.put("address", String.valueOf(s.address()));
                r.put("rack", s.rack());
                r.put("state", s.adminState());
                r.put("chunks", s.chunkCount());
                r.put("usedBytes", s.used());
                r.put("capacityBytes", s.capacity());
                r.put("lastHeartbeatAgeMs", Math.max(0, now - s.lastHeartbeatMs()));
                r.put("inFlightCopies", s.activeTransfers());
                r.put("decommissionChunksLeft", s.isDecommissioning() && s.decommissionLeft() >= 0
                        ? s.decommissionLeft() : null);
                rows.add(r);
            }
        } finally {
            core.lock.readLock().unlock();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deadAfterMs", core.config.deadAfterMs());
        m.put("servers", rows);
        return m;
    }

    /** GET /api/jobs: what exists of the background jobs (re-replication, balancer, decommission). */
    public Map<String, Object> jobs() {
        int inFlight = 0;
        long queued;
        List<Object> decommissions = new ArrayList<>();
        dev.grainfs.daemons.master.balancer.Balancer.Status b;
        core.lock.readLock().lock();
        try {
            for (ServerInfo s : core.servers.all()) {
                inFlight += s.isLive() ? s.activeTransfers() : 0;
                if (s.isDecommissioning()) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("id", s.id().value());
                    d.put("address", String.valueOf(s.address()));
                    d.put("state", s.adminState());
                    d.put("chunks", s.chunkCount());
                    d.put("chunksLeft", s.decommissionLeft() >= 0 ? s.decommissionLeft() : null);
                    decommissions.add(d);
                }
            }
            queued = core.replication.queued();
            b = core.balancer.status();
        } finally {
            core.lock.readLock().unlock();
        }
        Map<String, Object> replication = new LinkedHashMap<>();
        replication.put("queued", queued);
        replication.put("inFlight", inFlight);
        Summary s = summary();
        replication.put("underReplicatedChunks", s.healthKnown() ? s.underReplicated() : null);
        Map<String, Object> balancer = new LinkedHashMap<>();
        balancer.put("running", b.running());
        balancer.put("balanced", b.balanced());
        balancer.put("thresholdPct", b.thresholdPct());
        balancer.put("bandwidthBytesPerSec", b.bandwidth());
        balancer.put("chunksMoved", b.chunksMoved());
        balancer.put("bytesMoved", b.bytesMoved());
        balancer.put("bytesToMove", b.bytesToMove());
        balancer.put("movesInFlight", b.inFlight());
        balancer.put("status", b.line());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replication", replication);
        m.put("balancer", balancer);
        m.put("decommissions", decommissions);
        return m;
    }

    /** GET /api/ls?path=P[&after=NAME][&limit=N]: one page of a directory, or the entry itself. */
    public Map<String, Object> ls(String path, String after, int limit) throws GrainException {
        int n = limit <= 0 ? LS_DEFAULT : Math.min(limit, LS_MAX);
        core.lock.readLock().lock();
        try {
            Inode i = core.state.tree().resolve(path, true);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", i.path());
            m.put("type", type(i));
            List<Object> entries = new ArrayList<>();
            if (i instanceof DirInode d) {
                Inode[] page = d.list(after == null ? null : after.getBytes(StandardCharsets.UTF_8), n + 1);
                for (int k = 0; k < Math.min(n, page.length); k++) {
                    entries.add(entry(page[k]));
                }
                m.put("count", d.childCount());
                m.put("truncated", page.length > n);
            } else {
                entries.add(entry(i));
                m.put("count", 1);
                m.put("truncated", false);
            }
            m.put("entries", entries);
            return m;
        } finally {
            core.lock.readLock().unlock();
        }
    }

    private static Map<String, Object> entry(Inode i) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", i.name());
        e.put("type", type(i));
        e.put("mode", String.format("%04o", i.mode() & 07777));
        e.put("uid", i.uid());
        e.put("gid", i.gid());
        e.put("mtimeMs", i.mtimeNs() / 1_000_000L);
        if (i instanceof FileInode f) {
            e.put("size", f.size());
            e.put("replication", f.replication());
            e.put("chunks", f.chunkCount());
        } else if (i instanceof SymlinkInode s) {
            e.put("target", s.target());
        } else if (i instanceof DirInode d) {
            e.put("children", d.childCount());
        }
        return e;
    }

    private static String type(Inode i) {
        return i instanceof DirInode ? "dir" : i instanceof FileInode ? "file" : "symlink";
    }
}
