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
 * {@link dev.grainfs.daemons.http.Json}. The shapes are documented in docs/observability.md and are the
 * same that {@code grainfs report --json} prints.
 *
 * Cost: the cluster summary walks the chunk table (replica health) under the read lock, so it is
 * cached for {@link #SUMMARY_TTL_NS}; the server table and a directory page are cheap and always fresh.
 */
public final class MasterStatus {
    static final long SUMMARY_TTL_NS = 1_000_000_000L;
    private static final int LS_DEFAULT = 200;
    private static final int LS_MAX = 1_000;

    /** Cluster totals at one moment. */
    public record Summary(long files, long directories, long chunks, long underReplicated, long missing,
                          long capacityBytes, long usedBytes, int liveServers, int deadServers, long computedAtNs,
                          long computeNanos) {
    }

    private final MasterCore core;
    private final long startedNs = System.nanoTime();
    private volatile Summary cached;

    MasterStatus(MasterCore core) {
        this.core = core;
    }

    /** The summary, recomputed when older than a second; concurrent callers share one recomputation. */
    public Summary summary() {
        Summary s = cached;
        if (s != null && System.nanoTime() - s.computedAtNs() < SUMMARY_TTL_NS) {
            return s;
        }
        synchronized (this) {
            s = cached;
            if (s == null || System.nanoTime() - s.computedAtNs() >= SUMMARY_TTL_NS) {
                s = compute();
                cached = s;
            }
            return s;
        }
    }

    private Summary compute() {
        long t0 = System.nanoTime();
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
            long[] health = new long[2]; // under-replicated, missing
            core.state.chunks().forEach(c -> {
                int n = c.replicas().length;
                FileInode f = c.file();
                if (n == 0) {
                    health[1]++;
                }
                if (n == 0 || (f != null && n < f.replication())) {
                    health[0]++;
                }
            });
            var tree = core.state.tree();
            long now = System.nanoTime();
            return new Summary(tree.fileCount(), tree.dirCount(), core.state.chunks().size(), health[0], health[1],
                    capacity, used, live, dead, now, now - t0);
        } finally {
            core.lock.readLock().unlock();
        }
    }

    /** GET /api/cluster. */
    public Map<String, Object> cluster() {
        Summary s = summary();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "active");
        m.put("epoch", core.epoch());
        m.put("safeMode", false);
        m.put("shadowLagRecords", null);
        m.put("uptimeSeconds", (System.nanoTime() - startedNs) / 1_000_000_000L);
        m.put("capacityBytes", s.capacityBytes());
        m.put("usedBytes", s.usedBytes());
        m.put("freeBytes", Math.max(0, s.capacityBytes() - s.usedBytes()));
        m.put("files", s.files());
        m.put("directories", s.directories());
        m.put("chunks", s.chunks());
        m.put("underReplicatedChunks", s.underReplicated());
        m.put("missingChunks", s.missing());
        m.put("corruptChunks", 0L);
        m.put("liveServers", s.liveServers());
        m.put("deadServers", s.deadServers());
        m.put("summaryAgeMs", (System.nanoTime() - s.computedAtNs()) / 1_000_000L);
        m.put("summaryComputeMs", s.computeNanos() / 1_000_000.0);
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
                r.put("state", s.state().name());
                r.put("chunks", s.chunkCount());
                r.put("usedBytes", s.used());
                r.put("capacityBytes", s.capacity());
                r.put("lastHeartbeatAgeMs", Math.max(0, now - s.lastHeartbeatMs()));
                r.put("inFlightCopies", s.activeTransfers());
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
        core.lock.readLock().lock();
        try {
            for (ServerInfo s : core.servers.all()) {
                inFlight += s.isLive() ? s.activeTransfers() : 0;
            }
        } finally {
            core.lock.readLock().unlock();
        }
        Map<String, Object> replication = new LinkedHashMap<>();
        replication.put("queued", 0L);
        replication.put("inFlight", inFlight);
        replication.put("underReplicatedChunks", summary().underReplicated());
        Map<String, Object> balancer = new LinkedHashMap<>();
        balancer.put("running", false);
        balancer.put("bytesToMove", 0L);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replication", replication);
        m.put("balancer", balancer);
        m.put("decommissions", List.of());
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
