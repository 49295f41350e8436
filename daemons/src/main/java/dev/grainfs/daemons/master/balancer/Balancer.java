package dev.grainfs.daemons.master.balancer;

import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.chunk.ChunkTable;
import dev.grainfs.daemons.master.lease.LeaseManager;
import dev.grainfs.daemons.master.replication.ReplicationMonitor;
import dev.grainfs.daemons.master.server.ServerInfo;
import dev.grainfs.daemons.master.server.ServerRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evens out disk use: moves replicas from servers above the average utilisation + threshold to
 * servers below the average, until every server is within the threshold (HDFS's balancer, run in
 * the master so it outlives the shell that started it).
 *
 * <pre>
 * tick: utilisation of each live server = (used + planned in - planned out) / capacity
 *       sources = above avg + threshold, targets = below avg (emptiest first)
 *       for each source: fully replicated, unleased chunks -> a target that keeps the rack spread
 *       -> ReplicationMonitor.move: copy, the copy joins the map, the source replica is deleted
 * </pre>
 *
 * Moves start at most at {@code bandwidth} bytes per second (a token bucket) and within the
 * re-replication limit of copies per server. Planned moves count in the utilisation until the
 * servers' heartbeats had time to show them, so the balancer does not overshoot. Decommissioning
 * servers neither give nor take. Not thread-safe: called under the master's write lock.
 */
public final class Balancer {
    private static final Logger log = LoggerFactory.getLogger(Balancer.class);
    public static final double DEFAULT_THRESHOLD_PCT = 10.0;
    public static final long DEFAULT_BANDWIDTH = 10L << 20;
    /** Candidate chunks gathered per source and tick. */
    private static final int CANDIDATES = 64;
    /** Time with nothing movable and nothing in flight before the balancer gives up (leases run out meanwhile). */
    private static final long STUCK_MS = 60_000;

    /** What {@code balance --status} shows. */
    public record Status(boolean running, boolean balanced, double thresholdPct, long bandwidth, long chunksMoved,
                         long bytesMoved, long bytesToMove, int inFlight, String line) {
    }

    /** One move under way (or done, until the heartbeats show it). */
    private record Move(long handle, int source, int target, long bytes, long[] doneMs) {
    }

    private final ChunkTable chunks;
    private final ServerRegistry servers;
    private final LeaseManager leases;
    private final ReplicationMonitor monitor;
    private final long settleMs;
    private final long reserveBytes;
    private final Map<Long, Move> moves = new HashMap<>();
    private final List<Move> settling = new ArrayList<>();
    private boolean running;
    private boolean balanced;
    private String ended = "never run";
    private double thresholdPct = DEFAULT_THRESHOLD_PCT;
    private long bandwidth = DEFAULT_BANDWIDTH;
    private double tokens;
    private long lastTickMs;
    private long chunksMoved;
    private long bytesMoved;
    private long bytesToMove;
    /** Since when (monotonic ms) nothing could move; -1 while moves happen. */
    private long idleSinceMs = -1;

    /** {@code settleMs}: how long a finished move takes to show in heartbeats (a few heartbeat intervals). */
    public Balancer(ChunkTable chunks, ServerRegistry servers, LeaseManager leases, ReplicationMonitor monitor,
                    long settleMs, long reserveBytes) {
        this.chunks = chunks;
        this.servers = servers;
        this.leases = leases;
        this.monitor = monitor;
        this.settleMs = settleMs;
        this.reserveBytes = reserveBytes;
    }

    /** Starts balancing (or retunes a running balancer); 0 means the default. */
    public Status start(double thresholdPct, long bandwidth, long nowMs) {
        if (thresholdPct < 0 || thresholdPct > 100 || Double.isNaN(thresholdPct)) {
            throw new IllegalArgumentException("threshold must be between 0 and 100 percent, got " + thresholdPct);
        }
        this.thresholdPct = thresholdPct == 0 ? DEFAULT_THRESHOLD_PCT : thresholdPct;
        this.bandwidth = bandwidth == 0 ? DEFAULT_BANDWIDTH : bandwidth;
        if (!running) {
            running = true;
            chunksMoved = 0;
            bytesMoved = 0;
            idleSinceMs = -1;
            tokens = 0;
            lastTickMs = nowMs;
            log.info("balancer started: threshold {}%, {} bytes/s", this.thresholdPct, this.bandwidth);
        }
        tick(nowMs);
        return status();
    }

    /** Stops starting moves; those under way finish. */
    public Status stop() {
        if (running) {
            finish("stopped by an operator");
        }
        return status();
    }

    public Status status() {
        String line;
        if (running) {
            line = String.format("balancing: %d chunks (%s) moved, ~%s to move, %d moves in flight, threshold %s%%",
                    chunksMoved, mib(bytesMoved), mib(bytesToMove), moves.size(), pct(thresholdPct));
        } else {
            line = String.format("not running (%s): %d chunks (%s) moved, threshold %s%%", ended, chunksMoved,
                    mib(bytesMoved), pct(thresholdPct));
        }
        return new Status(running, balanced, thresholdPct, bandwidth, chunksMoved, bytesMoved, bytesToMove, moves.size(),
                line);
    }

    /** Timer: accounts finished moves, then starts new ones within the bandwidth. */
    public void tick(long nowMs) {
        retire(nowMs);
        List<ServerInfo> pool = new ArrayList<>();
        long used = 0;
        long capacity = 0;
        for (ServerInfo s : servers.live()) {
            if (s.countsAsReplica() && s.capacity() > 0) {
                pool.add(s);
                used += s.used();
                capacity += s.capacity();
            }
        }
        Map<Integer, Long> planned = plannedBytes();
        double avg = capacity == 0 ? 0 : 100.0 * used / capacity;
        balanced = true;
        long toMove = 0;
        for (ServerInfo s : pool) {
            double u = util(s, planned);
            if (Math.abs(u - avg) > thresholdPct) {
                balanced = false;
            }
            toMove += Math.max(0, (long) ((u - avg - thresholdPct) / 100.0 * s.capacity()));
        }
        bytesToMove = toMove;
        if (!running) {
            return;
        }
        if (balanced && moves.isEmpty() && settling.isEmpty()) { // judged on heartbeats alone, not on plans
            finish(String.format("balanced: every server within %s%% of the average %s%%", pct(thresholdPct), pct(avg)));
            return;
        }
        tokens = Math.min(bandwidth, tokens + bandwidth * Math.max(0, nowMs - lastTickMs) / 1000.0);
        lastTickMs = nowMs;
        int started = plan(pool, planned, avg, nowMs);
        if (started > 0 || !moves.isEmpty() || tokens <= 0) {
            idleSinceMs = -1;
        } else if (idleSinceMs < 0) {
            idleSinceMs = nowMs;
        }
        if (idleSinceMs >= 0 && nowMs - idleSinceMs >= STUCK_MS) {
            finish("gave up: no replica can move without breaking the rack spread or filling a server");
        }
    }

    private int plan(List<ServerInfo> pool, Map<Integer, Long> planned, double avg, long nowMs) {
        List<ServerInfo> sources = new ArrayList<>();
        List<ServerInfo> targets = new ArrayList<>();
        boolean anyLow = false;
        boolean anyHigh = false;
        for (ServerInfo s : pool) {
            anyLow |= util(s, planned) < avg - thresholdPct;
            anyHigh |= util(s, planned) > avg + thresholdPct;
        }
        // a server that just gained (lost) bytes never gives (takes) in the same round: no ping-pong
        Set<Integer> gaining = new HashSet<>();
        Set<Integer> losing = new HashSet<>();
        for (Move m : moves.values()) {
            gaining.add(m.target());
            losing.add(m.source());
        }
        for (Move m : settling) {
            gaining.add(m.target());
            losing.add(m.source());
        }
        for (ServerInfo s : pool) {
            double u = util(s, planned);
            if (gaining.contains(s.slot()) && losing.contains(s.slot())) {
                continue;
            }
            // HDFS's pairing: above the threshold gives to below the average and the other way round
            if ((u > avg + thresholdPct || (anyLow && u > avg)) && !gaining.contains(s.slot())) {
                sources.add(s);
            } else if ((u < avg - thresholdPct || (anyHigh && u < avg)) && !losing.contains(s.slot())) {
                targets.add(s);
            }
        }
        if (sources.isEmpty() || targets.isEmpty() || tokens <= 0) {
            return 0;
        }
        sources.sort(Comparator.comparingDouble((ServerInfo s) -> util(s, planned)).reversed());
        Map<Integer, List<ChunkInfo>> candidates = candidates(sources, nowMs);
        Set<String> racks = new HashSet<>();
        for (ServerInfo s : servers.live()) {
            if (s.countsAsReplica()) {
                racks.add(s.rack());
            }
        }
        int started = 0;
        for (ServerInfo source : sources) {
            for (ChunkInfo c : candidates.getOrDefault(source.slot(), List.of())) {
                if (tokens <= 0 || !monitor.hasRoom(source) || util(source, planned) <= avg) {
                    break;
                }
                if (moves.containsKey(c.handle()) || monitor.copying(c.handle())) {
                    continue; // on two sources: already moving from the other one
                }
                long bytes = bytesOf(c);
                targets.sort(Comparator.comparingDouble(s -> util(s, planned)));
                ServerInfo target = pickTarget(c, source, targets, planned, bytes, avg, racks.size());
                if (target == null) {
                    continue;
                }
                monitor.move(c, source, target, nowMs);
                Move m = new Move(c.handle(), source.slot(), target.slot(), bytes, new long[] {-1});
                moves.put(c.handle(), m);
                planned.merge(source.slot(), -bytes, Long::sum);
                planned.merge(target.slot(), bytes, Long::sum);
                tokens -= bytes;
                started++;
            }
        }
        return started;
    }

    private ServerInfo pickTarget(ChunkInfo c, ServerInfo source, List<ServerInfo> targets, Map<Integer, Long> planned,
                                  long bytes, double avg, int clusterRacks) {
        for (ServerInfo t : targets) {
            if (c.hasReplica(t.slot()) || !monitor.hasRoom(t) || t.pendingDeletes().contains(c.handle())
                    || t.free() - Math.max(0, planned.getOrDefault(t.slot(), 0L)) < reserveBytes + bytes
                    || util(t, planned) + 100.0 * bytes / t.capacity() > avg + thresholdPct) {
                continue;
            }
            if (keepsRackSpread(c, source, t, clusterRacks)) {
                return t;
            }
        }
        return null;
    }

    /** After the move the chunk's replicas span at least as many racks as needed (2 when 2 exist). */
    private boolean keepsRackSpread(ChunkInfo c, ServerInfo source, ServerInfo target, int clusterRacks) {
        Set<String> before = new HashSet<>();
        Set<String> after = new HashSet<>();
        int n = 0;
        for (int slot : c.replicas()) {
            ServerInfo s = servers.bySlot(slot);
            if (s.countsAsReplica()) {
                n++;
                before.add(s.rack());
                if (slot != source.slot()) {
                    after.add(s.rack());
                }
            }
        }
        after.add(target.rack());
        int want = Math.min(Math.min(2, clusterRacks), n);
        return after.size() >= want || after.size() >= before.size(); // never worse than it was
    }

    /** Fully replicated, unleased chunks on the sources that no copy is touching, a few per source. */
    private Map<Integer, List<ChunkInfo>> candidates(List<ServerInfo> sources, long nowMs) {
        Map<Integer, List<ChunkInfo>> out = new HashMap<>();
        Set<Integer> slots = new HashSet<>();
        sources.forEach(s -> slots.add(s.slot()));
        int[] full = {0};
        chunks.forEach(c -> {
            if (full[0] >= sources.size() || c.file() == null || monitor.copying(c.handle())
                    || monitor.liveReplicas(c) != c.file().replication() || leases.valid(c.handle(), nowMs) != null) {
                return;
            }
            for (int slot : c.replicas()) {
                if (slots.contains(slot)) {
                    List<ChunkInfo> l = out.computeIfAbsent(slot, k -> new ArrayList<>());
                    if (l.size() < CANDIDATES) {
                        l.add(c);
                        if (l.size() == CANDIDATES) {
                            full[0]++;
                        }
                    }
                }
            }
        });
        return out;
    }

    /** Accounts moves the monitor finished or gave up; drops settled ones from the plan. */
    private void retire(long nowMs) {
        for (Move m : List.copyOf(moves.values())) {
            if (monitor.copying(m.handle())) {
                continue;
            }
            moves.remove(m.handle());
            ChunkInfo c = chunks.get(m.handle());
            if (c != null && c.hasReplica(m.target()) && !c.hasReplica(m.source())) {
                chunksMoved++;
                bytesMoved += m.bytes();
                m.doneMs()[0] = nowMs;
                settling.add(m);
            }
        }
        settling.removeIf(m -> nowMs - m.doneMs()[0] > settleMs);
    }

    /** Bytes each server gains (+) or loses (-) by moves the heartbeats may not show yet. */
    private Map<Integer, Long> plannedBytes() {
        Map<Integer, Long> p = new HashMap<>();
        for (Move m : moves.values()) {
            p.merge(m.source(), -m.bytes(), Long::sum);
            p.merge(m.target(), m.bytes(), Long::sum);
        }
        for (Move m : settling) {
            p.merge(m.source(), -m.bytes(), Long::sum);
            p.merge(m.target(), m.bytes(), Long::sum);
        }
        return p;
    }

    private static double util(ServerInfo s, Map<Integer, Long> planned) {
        return 100.0 * Math.max(0, s.used() + planned.getOrDefault(s.slot(), 0L)) / s.capacity();
    }

    private static long bytesOf(ChunkInfo c) {
        long cs = c.file().chunkSize();
        return Math.max(1, Math.min(cs, c.file().size() - c.index() * cs));
    }

    private void finish(String why) {
        running = false;
        ended = why;
        log.info("balancer {}: {} chunks ({} bytes) moved", why, chunksMoved, bytesMoved);
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private static String pct(double p) {
        return p >= 1 ? String.format("%.1f", p) : String.format("%.4g", p);
    }
}
