package dev.grainfs.daemons.master.replication;

import dev.grainfs.core.wire.proto.ReplicateCommand;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.chunk.ChunkTable;
import dev.grainfs.daemons.master.lease.LeaseManager;
import dev.grainfs.daemons.master.placement.ReplicaPlacement;
import dev.grainfs.daemons.master.server.ServerInfo;
import dev.grainfs.daemons.master.server.ServerRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every chunk at its file's replication: under-replicated chunks are queued by urgency and
 * copied chunkserver to chunkserver, over-replicated ones lose their extra replicas, corrupt
 * replicas are deleted once a good copy replaced them.
 *
 * <pre>
 * scan (timer) ----> queue: live=1 | live=2 | ... | mis-replicated     (most urgent first)
 * assign (scan, every heartbeat) --> per-target outbox of ReplicateCommands, bounded by
 *                                    maxCopies per server (as source or as target)
 * heartbeat reply <-- drain(target)
 * target copies from source, reports "added" --> replica joins the map --> copy retired
 * </pre>
 *
 * A chunk is never copied while a primary may still accept writes to it: mutations could reach the
 * old replicas while the copy runs and the copy would silently miss them. So an under-replicated
 * chunk under a lease is fenced: the master stops renewing the lease and copies only after it ran
 * out (a primary declared dead is fenced the same way: it may only be cut off, not gone). A lease
 * granted during a copy bumps the version, so the copy reports a stale version and is deleted.
 * Replicas on decommissioning servers still serve as copy sources but do not count towards a chunk's
 * replication, so their chunks are copied elsewhere; each scan counts per decommissioning server the
 * chunks still short ({@link ServerInfo#decommissionLeft}). The balancer's moves ride on the same copies.
 * Not thread-safe: every method runs under the master's write lock.
 */
public final class ReplicationMonitor {
    private static final Logger log = LoggerFactory.getLogger(ReplicationMonitor.class);

    /**
     * One copy ordered: {@code target} copies chunk {@code handle} at {@code version} from {@code source}.
     * A balancer move ({@code move}) deletes the source replica once the copy is in the map.
     */
    public record Copy(long handle, long version, int source, int target, long startedMs, boolean move) {
    }

    private final ChunkTable chunks;
    private final ServerRegistry servers;
    private final LeaseManager leases;
    private final ReplicaPlacement placement;
    private final int maxCopies;
    private final long copyTimeoutMs;
    private final CorruptReplicas corrupt = new CorruptReplicas();
    private final Map<Long, Copy> inFlight = new HashMap<>();
    private final Map<Integer, Integer> busy = new HashMap<>();
    /** Chunk -> monotonic ms until which a fenced lease may still let its primary write. */
    private final Map<Long, Long> fenced = new HashMap<>();
    private final Map<Integer, ArrayDeque<ReplicateCommand>> outbox = new HashMap<>();
    /** Chunks that need a copy, most urgent first; rebuilt by each scan, consumed by assign. */
    private List<Long> queue = new ArrayList<>();
    private long copiesOrdered;
    private long copiesDone;
    private long extrasRemoved;
    private long movesDone;

    public ReplicationMonitor(ChunkTable chunks, ServerRegistry servers, LeaseManager leases, ReplicaPlacement placement,
                              int maxCopiesPerServer, long copyTimeoutMs) {
        this.chunks = chunks;
        this.servers = servers;
        this.leases = leases;
        this.placement = placement;
        this.maxCopies = maxCopiesPerServer;
        this.copyTimeoutMs = copyTimeoutMs;
    }

    public CorruptReplicas corrupt() {
        return corrupt;
    }

    public int inFlight() {
        return inFlight.size();
    }

    public long copiesOrdered() {
        return copiesOrdered;
    }

    public long copiesDone() {
        return copiesDone;
    }

    public long extrasRemoved() {
        return extrasRemoved;
    }

    /** Chunks waiting for a copy after the last scan. */
    public int queued() {
        return queue.size();
    }

    /** A replica was found corrupt: it leaves the map now and is deleted once replaced. */
    public void markCorrupt(ChunkInfo c, ServerInfo s) {
        if (c.removeReplica(s.slot())) {
            s.adjustChunkCount(-1);
        }
        corrupt.mark(c.handle(), s.slot());
    }

    /** The server said it no longer has the chunk (a failed copy among others): stop waiting for it. */
    public void removed(long handle, int slot) {
        Copy c = inFlight.get(handle);
        if (c != null && c.target() == slot) {
            retire(c);
        }
    }

    /**
     * The server died or restarted: its copies and corrupt marks are void, and the chunks it held
     * leases on are fenced until those leases run out. Call before its leases are revoked.
     */
    public void forgetServer(int slot, long nowMs) {
        chunks.forEach(c -> {
            LeaseManager.Lease l = leases.valid(c.handle(), nowMs);
            if (l != null && l.primarySlot() == slot) {
                fenced.merge(c.handle(), l.expiresMs(), Math::max);
            }
        });
        for (Copy c : List.copyOf(inFlight.values())) {
            if (c.target() == slot || c.source() == slot) {
                retire(c);
            }
        }
        outbox.remove(slot);
        corrupt.forgetServer(slot);
    }

    /** Retires finished copies, deletes replaced corrupt replicas, trims extras, rebuilds the queue. */
    public void scan(long nowMs) {
        retireCopies(nowMs);
        cleanCorrupt();
        fenced.values().removeIf(until -> until <= nowMs);
        int racks = liveRacks();
        List<List<Long>> buckets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            buckets.add(new ArrayList<>());
        }
        Map<Integer, Long> decommissionLeft = new HashMap<>();
        chunks.forEach(c -> {
            if (c.file() == null) {
                return;
            }
            int expected = c.file().replication();
            int live = liveReplicas(c);
            if (live < expected || misReplicated(c, racks)) { // still needs a decommissioning server's replica
                for (int slot : c.replicas()) {
                    if (servers.bySlot(slot).isDecommissioning()) {
                        decommissionLeft.merge(slot, 1L, Long::sum);
                    }
                }
            }
            if (inFlight.containsKey(c.handle()) || sources(c) == 0) {
                return; // being copied, or missing: nothing to copy from (fsck reports it)
            }
            LeaseManager.Lease lease = leases.valid(c.handle(), nowMs);
            boolean leased = lease != null;
            if (live < expected) {
                if (leased) {
                    fenced.merge(c.handle(), lease.expiresMs(), Math::max);
                    leases.revoke(c.handle()); // no more renewals: the primary stops writing by expiresMs
                } else if (!fenced.containsKey(c.handle())) {
                    buckets.get(Math.max(0, Math.min(live, 3) - 1)).add(c.handle());
                }
            } else if (live > expected) {
                if (!leased) {
                    removeExtras(c, expected);
                }
            } else if (!leased && misReplicated(c, racks)) {
                buckets.get(3).add(c.handle());
            }
        });
        for (ServerInfo s : servers.live()) {
            if (s.isDecommissioning()) {
                s.setDecommissionLeft(decommissionLeft.getOrDefault(s.slot(), 0L));
            }
        }
        List<Long> q = new ArrayList<>();
        buckets.forEach(q::addAll);
        queue = q;
        assign(nowMs);
    }

    /** Hands queued chunks to sources and targets with room, most urgent first. */
    public void assign(long nowMs) {
        if (queue.isEmpty()) {
            return;
        }
        List<ServerInfo> live = servers.live();
        int room = 0;
        for (ServerInfo s : live) {
            room += Math.max(0, maxCopies - busy.getOrDefault(s.slot(), 0));
        }
        List<Long> left = new ArrayList<>();
        for (long h : queue) {
            if (room < 2) {
                left.add(h);
                continue;
            }
            ChunkInfo c = chunks.get(h);
            if (c == null || c.file() == null || inFlight.containsKey(h) || leases.valid(h, nowMs) != null
                    || fenced.getOrDefault(h, 0L) > nowMs) {
                continue;
            }
            int live0 = liveReplicas(c);
            if (sources(c) == 0 || (live0 >= c.file().replication() && !misReplicated(c, liveRacks()))) {
                continue;
            }
            if (order(c, live, nowMs)) {
                room -= 2;
            } else {
                left.add(h); // no source or target with room now: later
            }
        }
        queue = left;
    }

    /** Commands for this target, handed out in its heartbeat reply. */
    public List<ReplicateCommand> drain(int slot) {
        ArrayDeque<ReplicateCommand> q = outbox.remove(slot);
        return q == null ? List.of() : List.copyOf(q);
    }

    private boolean order(ChunkInfo c, List<ServerInfo> live, long nowMs) {
        ServerInfo source = null;
        List<ServerInfo> existing = new ArrayList<>();
        for (int slot : c.replicas()) {
            ServerInfo s = servers.bySlot(slot);
            if (!s.isLive()) {
                continue;
            }
            if (s.countsAsReplica()) {
                existing.add(s);
            }
            if (busy.getOrDefault(slot, 0) < maxCopies
                    && (source == null || busy.getOrDefault(slot, 0) < busy.getOrDefault(source.slot(), 0))) {
                source = s;
            }
        }
        if (source == null) {
            return false;
        }
        Set<Integer> exclude = new HashSet<>(corrupt.slots(c.handle()));
        for (int slot : c.replicas()) {
            exclude.add(slot);
        }
        List<ServerInfo> candidates = new ArrayList<>();
        for (ServerInfo s : live) {
            if (busy.getOrDefault(s.slot(), 0) < maxCopies && !s.pendingDeletes().contains(c.handle())) {
                candidates.add(s);
            }
        }
        List<ServerInfo> picked = placement.choose(1, candidates, exclude, existing);
        if (picked.isEmpty()) {
            return false;
        }
        ServerInfo target = picked.get(0);
        if (liveReplicas(c) >= c.file().replication() && racksOf(existing).contains(target.rack())) {
            return false; // a rack fix that would not spread the racks
        }
        start(new Copy(c.handle(), c.version(), source.slot(), target.slot(), nowMs, false), source);
        log.debug("chunk {} ({} live of {}): copy {} -> {}", Long.toHexString(c.handle()), existing.size(),
                c.file().replication(), source.id(), target.id());
        return true;
    }

    private void start(Copy copy, ServerInfo source) {
        if (inFlight.containsKey(copy.handle())) {
            throw new IllegalStateException("chunk " + Long.toHexString(copy.handle()) + " is being copied already");
        }
        inFlight.put(copy.handle(), copy);
        busy.merge(copy.source(), 1, Integer::sum);
        busy.merge(copy.target(), 1, Integer::sum);
        outbox.computeIfAbsent(copy.target(), k -> new ArrayDeque<>()).add(ReplicateCommand.newBuilder()
                .setHandle(copy.handle()).setVersion(copy.version()).setSource(source.toWire()).build());
        copiesOrdered++;
    }

    /** True when {@code s} may take part in one more copy now (as source or target). */
    public boolean hasRoom(ServerInfo s) {
        return busy.getOrDefault(s.slot(), 0) < maxCopies;
    }

    /** True while a copy of the chunk is under way. */
    public boolean copying(long handle) {
        return inFlight.containsKey(handle);
    }

    /**
     * A balancer move: {@code target} copies the chunk from {@code source}; once the copy is in the map
     * the source replica is dropped and deleted. The caller checked that neither holds a lease or a
     * copy and that both have room.
     */
    public void move(ChunkInfo c, ServerInfo source, ServerInfo target, long nowMs) {
        start(new Copy(c.handle(), c.version(), source.slot(), target.slot(), nowMs, true), source);
        log.debug("chunk {}: balancer move {} -> {}", Long.toHexString(c.handle()), source.id(), target.id());
    }

    /** Moves finished since the last call (the balancer's progress). */
    public long takeMovesDone() {
        long n = movesDone;
        movesDone = 0;
        return n;
    }

    private void retireCopies(long nowMs) {
        for (Copy cp : List.copyOf(inFlight.values())) {
            ChunkInfo c = chunks.get(cp.handle());
            ServerInfo target = servers.bySlot(cp.target());
            if (c != null && c.version() == cp.version() && c.hasReplica(cp.target())) {
                copiesDone++;
                retire(cp);
                if (cp.move() && c.removeReplica(cp.source())) {
                    ServerInfo from = servers.bySlot(cp.source());
                    from.adjustChunkCount(-1);
                    if (from.isLive()) {
                        from.pendingDeletes().add(c.handle());
                    }
                    movesDone++;
                }
            } else if (c == null || c.version() != cp.version() || !target.isLive()) {
                retire(cp);
            } else if (nowMs - cp.startedMs() > copyTimeoutMs) {
                log.warn("copy of chunk {} to {} not done after {} ms: rescheduling", Long.toHexString(cp.handle()),
                        target.id(), nowMs - cp.startedMs());
                retire(cp);
            }
        }
    }

    private void retire(Copy cp) {
        inFlight.remove(cp.handle(), cp);
        busy.merge(cp.source(), -1, Integer::sum);
        busy.merge(cp.target(), -1, Integer::sum);
        ArrayDeque<ReplicateCommand> q = outbox.get(cp.target());
        if (q != null) {
            q.removeIf(rc -> rc.getHandle() == cp.handle());
        }
    }

    /** Deletes corrupt replicas once good copies are back, or right away when their server is needed as a target. */
    private void cleanCorrupt() {
        corrupt.removeIf((h, slot) -> {
            ServerInfo s = servers.bySlot(slot);
            if (!s.isLive()) {
                return true;
            }
            ChunkInfo c = chunks.get(h);
            int live = c == null ? 0 : liveReplicas(c);
            boolean replaced = c == null || c.file() == null || live >= c.file().replication();
            boolean blocking = c != null && live > 0 && !replaced && noOtherTarget(c);
            if (replaced || blocking) {
                s.pendingDeletes().add(h);
                return true;
            }
            return false;
        });
    }

    private boolean noOtherTarget(ChunkInfo c) {
        for (ServerInfo s : servers.live()) {
            if (s.countsAsReplica() && !c.hasReplica(s.slot()) && !corrupt.isCorrupt(c.handle(), s.slot())) {
                return false;
            }
        }
        return true;
    }

    /** Drops replicas above {@code expected}: from the most crowded rack, then the fullest server. */
    private void removeExtras(ChunkInfo c, int expected) {
        while (liveReplicas(c) > expected) {
            Map<String, Integer> perRack = new HashMap<>();
            for (int slot : c.replicas()) {
                if (servers.bySlot(slot).countsAsReplica()) {
                    perRack.merge(servers.bySlot(slot).rack(), 1, Integer::sum);
                }
            }
            ServerInfo victim = null;
            for (int slot : c.replicas()) {
                ServerInfo s = servers.bySlot(slot);
                if (s.countsAsReplica() && (victim == null || worse(s, victim, perRack))) {
                    victim = s;
                }
            }
            c.removeReplica(victim.slot());
            victim.adjustChunkCount(-1);
            victim.pendingDeletes().add(c.handle());
            extrasRemoved++;
            log.info("chunk {} over-replicated: dropping the replica on {}", Long.toHexString(c.handle()), victim.id());
        }
    }

    private static boolean worse(ServerInfo a, ServerInfo b, Map<String, Integer> perRack) {
        int ra = perRack.get(a.rack());
        int rb = perRack.get(b.rack());
        if (ra != rb) {
            return ra > rb;
        }
        return fill(a) > fill(b);
    }

    private static double fill(ServerInfo s) {
        return s.capacity() == 0 ? 1.0 : (double) s.used() / s.capacity();
    }

    /** Replicas that count towards the chunk's replication: on live servers not being decommissioned. */
    public int liveReplicas(ChunkInfo c) {
        int n = 0;
        for (int slot : c.replicas()) {
            if (servers.bySlot(slot).countsAsReplica()) {
                n++;
            }
        }
        return n;
    }

    /** Replicas a copy could read from: on any live server, decommissioning ones included. */
    private int sources(ChunkInfo c) {
        int n = 0;
        for (int slot : c.replicas()) {
            if (servers.bySlot(slot).isLive()) {
                n++;
            }
        }
        return n;
    }

    /** All replicas on one rack while the cluster has several (and the chunk wants more than one copy). */
    public boolean misReplicated(ChunkInfo c, int clusterRacks) {
        if (clusterRacks < 2 || c.file() == null || c.file().replication() < 2 || c.replicas().length < 2) {
            return false;
        }
        List<ServerInfo> live = new ArrayList<>();
        for (int slot : c.replicas()) {
            if (servers.bySlot(slot).countsAsReplica()) {
                live.add(servers.bySlot(slot));
            }
        }
        return live.size() >= 2 && racksOf(live).size() < 2;
    }

    public int liveRacks() {
        Set<String> r = new HashSet<>();
        for (ServerInfo s : servers.live()) {
            if (s.countsAsReplica()) {
                r.add(s.rack());
            }
        }
        return r.size();
    }

    private static Set<String> racksOf(List<ServerInfo> l) {
        Set<String> r = new HashSet<>();
        for (ServerInfo s : l) {
            r.add(s.rack());
        }
        return r;
    }
}
