package dev.grainfs.daemons.node;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.id.ServerId;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.lease.LeaseManager;
import dev.grainfs.daemons.master.namespace.FileInode;
import dev.grainfs.daemons.master.op.AddChunkOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.SetChunkVersionOp;
import dev.grainfs.daemons.master.placement.ReplicaPlacement;
import dev.grainfs.daemons.master.server.ServerInfo;
import dev.grainfs.daemons.master.server.ServerRegistry;
import dev.grainfs.daemons.master.state.MasterState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The cluster one node simulates, built on the master's own classes: the namespace and chunk table
 * (MasterState, changed only through apply), the server registry, leases and replica placement,
 * plus the simulated chunkservers' replica files and the shadow master.
 *
 * Roles come from init: the node itself is the primary master, the last other id is the shadow,
 * the ids between are the chunkservers (registered in init order, which is their slot order).
 * Single-threaded: the node handles one message at a time.
 */
final class Cluster implements java.io.Closeable {
    static final long DEFAULT_CHUNK_MB = 64;
    static final int DEFAULT_REPLICATION = 3;
    static final long LEASE_MS = 60_000;
    static final long DEAD_AFTER_MS = 15_000; // three missed 5 s heartbeats
    /** The nominal disk of a simulated chunkserver; a heartbeat's disk_usage_pct is a share of it. */
    static final long CAPACITY = 100L << 30;
    /** Fixed seed of the placement's random candidates: the same script places chunks the same way. */
    static final long PLACEMENT_SEED = 42;
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final LongSupplier clock;
    /** The clock as read at the start of the current message: one instant per message. */
    private long now;
    private final String nodeId;
    private final List<String> nodeIds;
    private MasterState state;
    private String primaryMaster;
    private ShadowMaster shadow;
    private final ServerRegistry servers = new ServerRegistry();
    private final LeaseManager leases = new LeaseManager(LEASE_MS);
    private final ReplicaPlacement placement = new ReplicaPlacement(64L << 20, new Random(PLACEMENT_SEED));
    private final ReplicaFiles files;
    private final Map<Long, String> lastPrimary = new HashMap<>();
    private final Map<Long, Long> serials = new HashMap<>();
    /** Per chunk, the slots that held a replica the master lost (server died, dropped it, or it was corrupt). */
    private final Map<Long, Set<Integer>> lost = new HashMap<>();
    /** Slots that have reported their disk usage at least once (the balancer weighs only those). */
    private final Set<Integer> usageReported = new java.util.HashSet<>();

    Cluster(String nodeId, List<String> nodeIds, LongSupplier clock, Path dataDir) throws NodeError {
        for (String id : nodeIds) {
            checkNodeId(id);
        }
        if (!nodeIds.contains(nodeId)) {
            throw new NodeError(NodeError.MALFORMED, "node_ids must contain node_id %s", nodeId);
        }
        if (Set.copyOf(nodeIds).size() != nodeIds.size()) {
            throw new NodeError(NodeError.MALFORMED, "node_ids has duplicates");
        }
        this.clock = clock;
        this.nodeId = nodeId;
        this.nodeIds = List.copyOf(nodeIds);
        this.files = new ReplicaFiles(dataDir);
        this.now = clock.getAsLong();
        this.state = new MasterState(now * 1_000_000);
        this.primaryMaster = nodeId;
        List<String> others = new ArrayList<>(nodeIds);
        others.remove(nodeId);
        if (!others.isEmpty()) {
            shadow = new ShadowMaster(others.remove(others.size() - 1), now * 1_000_000, now);
        }
        for (String cs : others) {
            register(cs);
        }
    }

    static void checkNodeId(String id) throws NodeError {
        if (!NODE_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new NodeError(NodeError.MALFORMED, "node id '%s' is not 1-64 of [A-Za-z0-9_.:-]", id);
        }
    }

    /** The time of the message being handled, in the node clock's milliseconds. */
    long now() {
        return now;
    }

    String nodeId() {
        return nodeId;
    }

    MasterState state() {
        return state;
    }

    ServerRegistry servers() {
        return servers;
    }

    LeaseManager leases() {
        return leases;
    }

    ReplicaFiles files() {
        return files;
    }

    String primaryMaster() {
        return primaryMaster;
    }

    /** The shadow master, or null (none in init, or it became the primary). */
    ShadowMaster shadow() {
        return shadow;
    }

    /** Before each message: reads the clock; silent servers die, the shadow tails its log. */
    void tick() {
        now = clock.getAsLong();
        for (ServerInfo s : servers.live()) {
            if (now - s.lastHeartbeatMs() > DEAD_AFTER_MS) {
                kill(s);
            }
        }
        if (shadow != null) {
            shadow.tail(now);
        }
    }

    private void kill(ServerInfo s) {
        List<ChunkInfo> held = new ArrayList<>();
        state.chunks().forEach(c -> {
            if (c.hasReplica(s.slot())) {
                held.add(c);
            }
        });
        for (ChunkInfo c : held) {
            dropReplica(c, s);
        }
        leases.revokeAll(s.slot());
        servers.markDead(s);
    }

    /** Applies a mutation to the master's state (changing nothing if it throws) and ships it to the shadow. */
    void log(MasterOp.Builder op) throws GrainException {
        MasterOp o = op.setTimeNs(now * 1_000_000).build();
        state.apply(o);
        if (shadow != null) {
            shadow.ship(o, now);
        }
    }

    ServerInfo register(String name) {
        return servers.register(new ServerId(name), new HostPort(name, 0), "", CAPACITY, 0, now());
    }

    void reportedUsage(ServerInfo s) {
        usageReported.add(s.slot());
    }

    boolean hasReportedUsage(ServerInfo s) {
        return usageReported.contains(s.slot());
    }

    boolean isMaster(String name) {
        return name.equals(primaryMaster) || name.equals(nodeId) || (shadow != null && name.equals(shadow.id()));
    }

    /** The chunkserver named {@code name}: error 20 if there is none, 22 if it names a master. */
    ServerInfo chunkserver(String name) throws NodeError {
        ServerInfo s = name.isEmpty() ? null : servers.byId(new ServerId(name));
        if (s != null) {
            return s;
        }
        if (isMaster(name)) {
            throw new NodeError(NodeError.PRECONDITION, "%s is a master, not a chunkserver", name);
        }
        throw new NodeError(NodeError.NOT_FOUND, "no chunkserver %s", name);
    }

    ServerInfo liveChunkserver(String name) throws NodeError {
        ServerInfo s = chunkserver(name);
        if (!s.isLive()) {
            throw new NodeError(NodeError.PRECONDITION, "chunkserver %s is dead", name);
        }
        return s;
    }

    /** The regular file at {@code path}: 20 if nothing is there, 22 if it is not a file. */
    FileInode file(String path) throws NodeError, GrainException {
        if (state.tree().resolve(path, true) instanceof FileInode f) {
            return f;
        }
        throw new NodeError(NodeError.PRECONDITION, "%s: not a regular file", path);
    }

    ChunkInfo chunk(long handle) throws NodeError {
        ChunkInfo c = state.chunks().get(handle);
        if (c == null) {
            throw new NodeError(NodeError.NOT_FOUND, "chunk %d does not exist", handle);
        }
        return c;
    }

    String name(int slot) {
        return servers.bySlot(slot).id().value();
    }

    List<String> names(int[] slots) {
        List<String> out = new ArrayList<>(slots.length);
        for (int s : slots) {
            out.add(name(s));
        }
        return out;
    }

    /**
     * Adds a new chunk at {@code index} of {@code f} on the servers placement chooses (the first is
     * the primary and gets the lease). Error 11 when no live chunkserver has room.
     */
    ChunkInfo allocate(FileInode f, long index) throws NodeError, GrainException, IOException {
        List<ServerInfo> chosen = placement.choose(f.replication(), servers.live(), Set.of(), List.of());
        if (chosen.isEmpty()) {
            throw new NodeError(NodeError.UNAVAILABLE, "no live chunkserver with free space");
        }
        long handle = state.nextChunkHandle();
        log(MasterOp.newBuilder().setAddChunk(AddChunkOp.newBuilder()
                .setInode(f.id()).setIndex(index).setHandle(handle).setVersion(1)));
        ChunkInfo c = state.chunks().get(handle);
        for (ServerInfo s : chosen) {
            files.create(s.id().value(), handle, 1);
            addReplica(c, s);
        }
        grantLease(c, chosen.get(0), true);
        return c;
    }

    boolean addReplica(ChunkInfo c, ServerInfo s) {
        if (!c.addReplica(s.slot())) {
            return false;
        }
        s.adjustChunkCount(1);
        Set<Integer> l = lost.get(c.handle());
        if (l != null) {
            l.remove(s.slot());
        }
        return true;
    }

    /** The master forgets a replica (its server died, lost it, or it is corrupt); its lease goes with it. */
    void dropReplica(ChunkInfo c, ServerInfo s) {
        if (!c.removeReplica(s.slot())) {
            return;
        }
        s.adjustChunkCount(-1);
        lost.computeIfAbsent(c.handle(), h -> new TreeSet<>()).add(s.slot());
        LeaseManager.Lease l = leases.valid(c.handle(), now());
        if (l != null && l.primarySlot() == s.slot()) {
            leases.revoke(c.handle());
        }
    }

    /**
     * A replica failed its checksum: the master drops it and has its server delete it on the next
     * heartbeat, unless it is the last copy (a bad copy beats none).
     */
    void reportCorrupt(ChunkInfo c, ServerInfo s) {
        dropReplica(c, s);
        if (c.replicas().length > 0) {
            s.pendingDeletes().add(c.handle());
        }
    }

    /** Moves a replica on purpose (balancing): the source deletes its copy after its next heartbeat. */
    void moveReplica(ChunkInfo c, ServerInfo from, ServerInfo to) {
        addReplica(c, to);
        to.pendingDeletes().remove(c.handle());
        if (c.removeReplica(from.slot())) {
            from.adjustChunkCount(-1);
            from.pendingDeletes().add(c.handle());
        }
        LeaseManager.Lease l = leases.valid(c.handle(), now());
        if (l != null && l.primarySlot() == from.slot()) {
            leases.revoke(c.handle());
        }
    }

    /** Chunks with fewer replicas than their file's replication, fewest first (the repair queue's order). */
    List<ChunkInfo> underReplicated() {
        List<ChunkInfo> out = new ArrayList<>();
        state.chunks().forEach(c -> {
            if (c.replicas().length < c.file().replication()) {
                out.add(c);
            }
        });
        out.sort(java.util.Comparator.comparingInt((ChunkInfo c) -> c.replicas().length)
                .thenComparingLong(ChunkInfo::handle));
        return out;
    }

    /** Servers that held a replica the master lost and do not hold one now, in slot order. */
    List<String> missingOn(ChunkInfo c) {
        List<String> out = new ArrayList<>();
        for (int slot : lost.getOrDefault(c.handle(), Set.of())) {
            if (!c.hasReplica(slot)) {
                out.add(name(slot));
            }
        }
        return out;
    }

    /** The unexpired lease on the chunk, or null. */
    LeaseManager.Lease lease(long handle) {
        return leases.valid(handle, now());
    }

    /**
     * Grants a lease to {@code s}; a new lease on an existing chunk first bumps its version, on the
     * master and on every replica (GFS: a replica that misses the bump is stale).
     */
    LeaseManager.Lease grantLease(ChunkInfo c, ServerInfo s, boolean newChunk) throws GrainException, IOException {
        if (!newChunk) {
            log(MasterOp.newBuilder().setSetChunkVersion(SetChunkVersionOp.newBuilder()
                    .setHandle(c.handle()).setVersion(c.version() + 1)));
            for (int slot : c.replicas()) {
                files.setVersion(name(slot), c.handle(), c.version());
            }
        }
        lastPrimary.put(c.handle(), s.id().value());
        return leases.grant(c.handle(), s.slot(), c.version(), now());
    }

    /** The server that held the chunk's most recent lease, or null if none was ever granted. */
    String lastPrimary(long handle) {
        return lastPrimary.get(handle);
    }

    /** The primary's next serial number for a mutation of the chunk: 1, 2, 3 ... */
    long nextSerial(long handle) {
        return serials.merge(handle, 1L, Long::sum);
    }

    /** Closes the simulated chunkservers' stores. */
    @Override
    public void close() throws IOException {
        files.close();
    }

    /** The outcome of a failover. */
    record Failover(String newPrimary, int replayed, long tookMs) {
    }

    /**
     * Promotes the shadow: it replays the log it has not applied, takes the replica locations it
     * learnt from the same chunkserver reports, and becomes the primary; there is no shadow after.
     */
    Failover failover(String failed) throws NodeError {
        if (!nodeIds.contains(failed)) {
            throw new NodeError(NodeError.NOT_FOUND, "no master %s", failed);
        }
        if (!failed.equals(primaryMaster)) {
            throw new NodeError(NodeError.PRECONDITION, "%s is not the primary master (%s is)", failed, primaryMaster);
        }
        if (shadow == null) {
            throw new NodeError(NodeError.UNAVAILABLE, "no shadow master to take over from %s", failed);
        }
        long start = clock.getAsLong(); // the real duration, not the message's instant
        int replayed = shadow.replayAll();
        MasterState next = shadow.state();
        if (next.appliedOps() != state.appliedOps()) {
            throw new IllegalStateException("shadow applied " + next.appliedOps() + " ops, primary "
                    + state.appliedOps());
        }
        // chunkservers report to both masters, so the shadow knows the same replica locations
        state.chunks().forEach(c -> {
            ChunkInfo mirror = next.chunks().get(c.handle());
            for (int slot : c.replicas()) {
                mirror.addReplica(slot);
            }
        });
        state = next;
        primaryMaster = shadow.id();
        shadow = null;
        return new Failover(primaryMaster, replayed, clock.getAsLong() - start);
    }
}
