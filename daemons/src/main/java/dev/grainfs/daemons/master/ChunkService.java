package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.security.ChunkTokens;
import dev.grainfs.core.wire.proto.ChunkLocation;
import dev.grainfs.core.wire.proto.CommitSizeRequest;
import dev.grainfs.core.wire.proto.GetLocationsRequest;
import dev.grainfs.core.wire.proto.GetLocationsResponse;
import dev.grainfs.core.wire.proto.GetWriteLeaseRequest;
import dev.grainfs.core.wire.proto.GetWriteLeaseResponse;
import dev.grainfs.core.wire.proto.ReportBadReplicaRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.SetVersionRequest;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.core.id.ServerId;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.lease.LeaseManager;
import dev.grainfs.daemons.master.namespace.FileInode;
import dev.grainfs.daemons.master.op.AddChunkOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.SetChunkVersionOp;
import dev.grainfs.daemons.master.op.SetSizeOp;
import dev.grainfs.daemons.master.server.ServerInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunk requests: where a file's chunks live, write leases (allocating chunks and bumping versions
 * on a new lease, as GFS does), file size commits and reports of bad replicas.
 *
 * A new lease goes: pick replicas -> tell each its new version (chunkserver RPC, outside the lock)
 * -> log the version -> answer. Replicas that miss the bump are stale and stop being listed.
 */
final class ChunkService {
    private static final Logger log = LoggerFactory.getLogger(ChunkService.class);
    private static final long SET_VERSION_TIMEOUT_MS = 5_000;

    private final MasterCore core;
    private final RpcClient rpc;
    private final SafeMode safeMode;
    /** One lease grant at a time per chunk; later askers wait for its answer. */
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> granting = new ConcurrentHashMap<>();

    /** Signs chunk access tokens; null in a cluster without a key (no tokens are handed out). */
    private final ChunkTokens tokens;

    ChunkService(MasterCore core, RpcClient rpc, SafeMode safeMode, ChunkTokens tokens) {
        this.core = core;
        this.rpc = rpc;
        this.safeMode = safeMode;
        this.tokens = tokens;
    }

    private com.google.protobuf.ByteString token(long handle, ChunkTokens.Access access) {
        return tokens == null ? com.google.protobuf.ByteString.EMPTY : tokens.mint(handle, access);
    }

    Response.Builder locations(Permissions p, GetLocationsRequest r) throws GrainException {
        core.lock.readLock().lock();
        try {
            FileInode f = core.state.file(r.getInode());
            p.check(f, Permissions.READ, f.path()); // the READ tokens below are what lets a client read the bytes
            GetLocationsResponse.Builder b = GetLocationsResponse.newBuilder().setAttr(Attrs.of(f));
            long end = Math.min(f.chunkSlots(), r.getFirstIndex() + Math.max(1, Math.min(r.getCount(), 1024)));
            for (long i = r.getFirstIndex(); i < end; i++) {
                ChunkInfo c = f.chunk(i);
                if (c != null) {
                    if (c.replicas().length == 0 && safeMode.isOn()) {
                        // after a restart its servers may not have reported yet: the client retries EAGAIN
                        throw GrainException.of(StatusCode.EAGAIN, "chunk %x: no replica reported yet (master in safe "
                                + "mode)", c.handle());
                    }
                    b.addChunks(location(c, -1).setToken(token(c.handle(), ChunkTokens.Access.READ)));
                }
            }
            return Response.newBuilder().setLocations(b);
        } finally {
            core.lock.readLock().unlock();
        }
    }

    /** The chunk's live replicas, the primary (if any) first. */
    private ChunkLocation.Builder location(ChunkInfo c, int primarySlot) {
        ChunkLocation.Builder b = ChunkLocation.newBuilder().setIndex(c.index()).setHandle(c.handle())
                .setVersion(c.version());
        if (primarySlot >= 0) {
            b.addReplicas(core.servers.bySlot(primarySlot).toWire());
        }
        for (int slot : c.replicas()) {
            ServerInfo s = core.servers.bySlot(slot);
            if (slot != primarySlot && s.isLive()) {
                b.addReplicas(s.toWire());
            }
        }
        return b;
    }

    Response.Builder writeLease(Permissions p, GetWriteLeaseRequest r) throws GrainException {
        for (int attempt = 0; attempt < 3; attempt++) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            Long key = r.getInode() * 1_000_003L + r.getIndex();
            CompletableFuture<Void> other = granting.putIfAbsent(key, mine);
            if (other != null) {
                try {
                    other.get(SET_VERSION_TIMEOUT_MS * 2, TimeUnit.MILLISECONDS);
                } catch (Exception ignored) {
                    // the other grant failed; try ourselves
                }
                continue;
            }
            try {
                return grant(p, r);
            } finally {
                granting.remove(key, mine);
                mine.complete(null);
            }
        }
        throw GrainException.of(StatusCode.EAGAIN, "lease for chunk %d of inode %d is contended", r.getIndex(), r.getInode());
    }

    private Response.Builder grant(Permissions p, GetWriteLeaseRequest r) throws GrainException {
        Set<String> excluded = new HashSet<>(r.getExcludeServersList());
        long handle;
        long oldVersion;
        long newVersion;
        boolean create;
        List<ServerInfo> targets;
        FileInode f;
        long addTxid = -1;
        core.lock.writeLock().lock();
        try {
            f = core.state.file(r.getInode());
            p.check(f, Permissions.WRITE, "inode " + r.getInode());
            ChunkInfo c = f.chunk(r.getIndex());
            long now = core.monoMs();
            if (c != null) {
                LeaseManager.Lease l = core.leases.valid(c.handle(), now);
                ServerInfo holder = l == null ? null : core.servers.bySlot(l.primarySlot());
                boolean failedHere = r.getFailedVersion() != 0 && r.getFailedVersion() == c.version();
                if (l != null && l.version() == c.version() && holder.isLive()
                        && !excluded.contains(holder.id().value()) && !failedHere) {
                    return answer(c, l.primarySlot(), l.expiresMs() - now, f);
                }
                targets = new ArrayList<>();
                for (int slot : c.replicas()) {
                    ServerInfo s = core.servers.bySlot(slot);
                    if (s.isLive() && !excluded.contains(s.id().value())) {
                        targets.add(s);
                    }
                }
                handle = c.handle();
                oldVersion = c.version();
                newVersion = oldVersion + 1;
                create = false;
                if (targets.isEmpty()) {
                    long chunkStart = r.getIndex() * f.chunkSize();
                    if (f.size() > chunkStart && c.replicas().length > 0) {
                        throw GrainException.of(StatusCode.EIO, "chunk %d of %s: no replica reachable", r.getIndex(), f.path());
                    }
                    if (f.size() > chunkStart) {
                        throw GrainException.of(StatusCode.EIO, "chunk %d of %s: every replica is lost", r.getIndex(), f.path());
                    }
                    // nothing acknowledged lives in this chunk: place it afresh
                    targets = place(f.replication(), excluded, List.of());
                    create = true;
                }
            } else {
                targets = place(f.replication(), excluded, List.of());
                handle = core.state.nextChunkHandle();
                oldVersion = 0;
                newVersion = 1;
                create = true;
                addTxid = core.submit(MasterOp.newBuilder().setTimeNs(core.nowNs()).setAddChunk(AddChunkOp.newBuilder()
                        .setInode(f.id()).setIndex(r.getIndex()).setHandle(handle).setVersion(1)).build()).txid();
            }
        } finally {
            core.lock.writeLock().unlock();
        }
        if (addTxid >= 0) {
            core.sync(addTxid);
        }
        // tell the replicas their new version; the first that answers becomes the primary
        List<ServerInfo> ok = bumpVersions(handle, oldVersion, newVersion, create, targets);
        if (create && ok.size() < targets.size()) {
            // some chosen servers did not answer: place the missing replicas elsewhere, once
            List<ServerInfo> more;
            core.lock.readLock().lock();
            try {
                Set<String> ex = new HashSet<>(excluded);
                targets.forEach(t -> ex.add(t.id().value()));
                more = core.placement.choose(targets.size() - ok.size(), core.servers.live(), slotsOf(ex), ok);
            } finally {
                core.lock.readLock().unlock();
            }
            if (!more.isEmpty()) {
                List<ServerInfo> all = new ArrayList<>(ok);
                all.addAll(bumpVersions(handle, oldVersion, newVersion, true, more));
                ok = all;
            }
        }
        if (ok.isEmpty()) {
            throw GrainException.of(StatusCode.EIO, "no chunkserver accepted chunk %x (tried %d)", handle, targets.size());
        }
        long txid = -1;
        Response.Builder answer;
        core.lock.writeLock().lock();
        try {
            ChunkInfo c = core.state.chunks().get(handle);
            if (c == null) {
                throw GrainException.of(StatusCode.ENOENT, "%s was deleted while being written", f.path());
            }
            if (c.version() != newVersion) {
                txid = core.submit(MasterOp.newBuilder().setTimeNs(core.nowNs()).setSetChunkVersion(
                        SetChunkVersionOp.newBuilder().setHandle(handle).setVersion(newVersion)).build()).txid();
            }
            // the replicas that took the new version are now the only current ones
            for (int slot : c.replicas().clone()) {
                if (ok.stream().noneMatch(s -> s.slot() == slot)) {
                    c.removeReplica(slot);
                    core.servers.bySlot(slot).adjustChunkCount(-1);
                }
            }
            for (ServerInfo s : ok) {
                if (c.addReplica(s.slot())) {
                    s.adjustChunkCount(1);
                }
            }
            LeaseManager.Lease l = core.leases.grant(handle, ok.get(0).slot(), newVersion, core.monoMs());
            core.metrics.leaseGranted();
            answer = answer(c, l.primarySlot(), core.leases.leaseMs(), f);
        } finally {
            core.lock.writeLock().unlock();
        }
        if (txid >= 0) {
            core.sync(txid);
        }
        return answer;
    }

    private Set<Integer> slotsOf(Set<String> ids) {
        Set<Integer> ex = new HashSet<>();
        for (ServerInfo s : core.servers.all()) {
            if (ids.contains(s.id().value())) {
                ex.add(s.slot());
            }
        }
        return ex;
    }

    private List<ServerInfo> place(int replication, Set<String> excluded, List<ServerInfo> existing) throws GrainException {
        List<ServerInfo> chosen = core.placement.choose(replication, core.servers.live(), slotsOf(excluded), existing);
        if (chosen.isEmpty()) {
            throw GrainException.of(StatusCode.ENOSPC, "no live chunkserver with free space");
        }
        return chosen;
    }

    /** Sends SetVersion to every target in parallel; returns those that applied it, primary first. */
    private List<ServerInfo> bumpVersions(long handle, long oldVersion, long newVersion, boolean create,
                                          List<ServerInfo> targets) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        List<ServerInfo> ok = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean[] primaryGiven = {false};
        for (int k = 0; k < targets.size(); k++) {
            ServerInfo s = targets.get(k);
            SetVersionRequest.Builder sv = SetVersionRequest.newBuilder().setHandle(handle).setNewVersion(newVersion)
                    .setExpectedVersion(oldVersion).setCreate(create).setLeaseMs(core.leases.leaseMs());
            Request req = Request.newBuilder().setEpoch(core.epoch()).setSetVersion(sv)
                    .setChunkToken(token(handle, ChunkTokens.Access.WRITE)).build();
            calls.add(rpc.call(s.address(), req, SET_VERSION_TIMEOUT_MS).handle((reply, err) -> {
                if (err == null) {
                    reply.close();
                    ok.add(s);
                } else {
                    GrainException g = GrainException.from(err);
                    if (g.status() == StatusCode.EIO || g.status() == StatusCode.ETIMEDOUT) {
                        s.markSuspect(core.monoMs() + core.config.deadAfterMs());
                    }
                    log.warn("chunk {} version {} -> {} on {} failed: {}", Long.toHexString(handle), oldVersion,
                            newVersion, s.id(), g.getMessage());
                }
                return null;
            }));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
        // keep the placement order (targets[0] was chosen as the primary); every replica holds lease
        // time, but clients are only ever told of one primary per version
        List<ServerInfo> ordered = new ArrayList<>();
        for (ServerInfo s : targets) {
            if (ok.contains(s)) {
                ordered.add(s);
            }
        }
        return ordered;
    }

    private Response.Builder answer(ChunkInfo c, int primarySlot, long leaseLeftMs, FileInode f) {
        return Response.newBuilder().setWriteLease(GetWriteLeaseResponse.newBuilder()
                .setChunk(location(c, primarySlot).setToken(token(c.handle(), ChunkTokens.Access.WRITE)))
                .setLeaseMs(Math.max(0, leaseLeftMs)).setChunkSize(f.chunkSize()));
    }

    MasterCore.Durable commitSize(Permissions p, CommitSizeRequest r) throws GrainException {
        core.lock.writeLock().lock();
        try {
            FileInode f = core.state.file(r.getInode());
            p.check(f, Permissions.WRITE, f.path());
            long txid = core.submit(MasterOp.newBuilder().setTimeNs(core.nowNs()).setSetSize(SetSizeOp.newBuilder()
                    .setInode(r.getInode()).setSize(r.getSize()).setMtimeNs(r.getMtimeNs())).build()).txid();
            return new MasterCore.Durable(Response.newBuilder().setAttr(Attrs.of(f)), txid);
        } finally {
            core.lock.writeLock().unlock();
        }
    }

    Response.Builder reportBadReplica(ReportBadReplicaRequest r) {
        core.lock.writeLock().lock();
        try {
            ChunkInfo c = core.state.chunks().get(r.getHandle());
            ServerInfo s = core.servers.byId(new ServerId(r.getServerId().isEmpty() ? "?" : r.getServerId()));
            if (c != null && s != null && c.hasReplica(s.slot())) {
                core.replication.markCorrupt(c, s); // deleted once a good copy replaced it, never the last copy
                log.warn("replica of chunk {} on {} reported bad ({}); {} good replicas left",
                        Long.toHexString(c.handle()), s.id(), r.getReason(), c.replicas().length);
            }
        } finally {
            core.lock.writeLock().unlock();
        }
        return Response.newBuilder().setEmpty(dev.grainfs.core.wire.proto.Empty.getDefaultInstance());
    }
}
