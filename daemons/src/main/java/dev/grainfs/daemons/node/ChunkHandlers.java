package dev.grainfs.daemons.node;

import dev.grainfs.core.GrainException;
import dev.grainfs.daemons.chunkserver.store.ChunkCorruptException;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.lease.LeaseManager.Lease;
import dev.grainfs.daemons.master.namespace.FileInode;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.SetSizeOp;
import dev.grainfs.daemons.master.server.ServerInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** allocate_chunk, chunk_write, chunk_read_verified: the GFS write path and checksummed reads. */
final class ChunkHandlers {
    /** Highest chunk index a file may have (64 TiB at 64 MiB chunks); the chunk array grows to it. */
    static final long MAX_CHUNK_INDEX = (1 << 20) - 1;

    private final Cluster cluster;

    ChunkHandlers(Cluster cluster) {
        this.cluster = cluster;
    }

    void register(Map<String, Handler> table) {
        table.put("allocate_chunk", this::allocate);
        table.put("chunk_write", this::write);
        table.put("chunk_read_verified", this::readVerified);
    }

    /** Finds or allocates the chunk at the index, with a lease (granted now if none is valid). */
    private Reply allocate(Fields body) throws NodeError, GrainException, IOException {
        FileInode f = cluster.file(body.string("file"));
        long index = body.integer("chunk_index", 0, MAX_CHUNK_INDEX);
        ChunkInfo c = f.chunk(index);
        if (c == null) {
            c = cluster.allocate(f, index);
        }
        Lease l = cluster.lease(c.handle());
        if (l == null) {
            if (c.replicas().length == 0) {
                throw new NodeError(NodeError.UNAVAILABLE, "chunk %d has no live replica to lease", c.handle());
            }
            l = cluster.grantLease(c, cluster.servers().bySlot(c.replicas()[0]), false);
        }
        List<String> secondaries = new ArrayList<>();
        for (int slot : c.replicas()) {
            if (slot != l.primarySlot()) {
                secondaries.add(cluster.name(slot));
            }
        }
        return Reply.of("allocate_chunk_ok").put("chunk_handle", c.handle())
                .put("primary", cluster.name(l.primarySlot()))
                .put("secondaries", secondaries).put("lease_expires_ms", l.expiresMs() - cluster.now());
    }

    /**
     * A mutation through the primary: it must hold the lease, the request must name every replica,
     * and every replica applies it (or none does); the primary numbers it.
     */
    private Reply write(Fields body) throws NodeError, GrainException, IOException {
        long handle = body.integer("chunk_handle");
        long offset = body.integer("offset", 0, Long.MAX_VALUE);
        byte[] data = body.string("data").getBytes(StandardCharsets.UTF_8);
        String primaryName = body.string("primary");
        List<String> secondaryNames = body.strings("secondaries");
        ChunkInfo c = cluster.chunk(handle);
        List<ServerInfo> targets = new ArrayList<>();
        Set<Integer> named = new HashSet<>();
        for (String name : prepend(primaryName, secondaryNames)) {
            ServerInfo s = cluster.chunkserver(name);
            if (!named.add(s.slot())) {
                throw new NodeError(NodeError.MALFORMED, "%s is named twice in primary and secondaries", name);
            }
            targets.add(s);
        }
        Lease l = cluster.lease(handle);
        if (l == null || l.primarySlot() != targets.get(0).slot()) {
            throw new NodeError(NodeError.PRECONDITION, "%s holds no lease on chunk %d", primaryName, handle);
        }
        for (ServerInfo s : targets) {
            if (!c.hasReplica(s.slot())) {
                throw new NodeError(NodeError.PRECONDITION, "%s holds no replica of chunk %d", s.id(), handle);
            }
        }
        for (int slot : c.replicas()) {
            if (!named.contains(slot)) {
                throw new NodeError(NodeError.PRECONDITION, "the write must go to every replica; %s is missing",
                        cluster.name(slot));
            }
        }
        long chunkSize = c.file().chunkSize();
        if (offset > chunkSize - data.length) {
            throw new NodeError(NodeError.PRECONDITION, "%d bytes at offset %d pass the end of the %d-byte chunk",
                    data.length, offset, chunkSize);
        }
        ReplicaFiles files = cluster.files();
        for (ServerInfo s : targets) {
            try {
                files.verifyEdges(s.id().value(), handle, offset, data.length);
            } catch (ChunkCorruptException e) {
                cluster.reportCorrupt(c, s);
                throw new NodeError(NodeError.ABORT, "replica of chunk %d on %s fails its checksum; reported bad, "
                        + "nothing written", handle, s.id());
            }
        }
        for (ServerInfo s : targets) {
            files.write(s.id().value(), handle, offset, data);
        }
        long serial = cluster.nextSerial(handle);
        if (data.length > 0) {
            cluster.log(MasterOp.newBuilder().setSetSize(SetSizeOp.newBuilder().setInode(c.file().id())
                    .setSize(c.index() * chunkSize + offset + data.length)));
        }
        return Reply.of("chunk_write_ok").put("bytes_written", data.length).put("replicas_acked", targets.size())
                .put("serial_number", serial);
    }

    /**
     * Reads one 64 KiB block from the primary (or the first replica without a lease), checking its
     * CRC32; a bad block is reported, and the data comes from the first replica whose block is good.
     */
    private Reply readVerified(Fields body) throws NodeError, IOException {
        ChunkInfo c = cluster.chunk(body.integer("chunk_handle"));
        long block = body.integer("block", 0, c.file().chunkSize() / ReplicaFiles.BLOCK - 1);
        List<ServerInfo> readers = readOrder(c);
        if (readers.isEmpty()) {
            throw new NodeError(NodeError.UNAVAILABLE, "chunk %d has no live replica", c.handle());
        }
        ReplicaFiles files = cluster.files();
        ServerInfo first = readers.get(0);
        if (block * ReplicaFiles.BLOCK >= files.length(first.id().value(), c.handle())) {
            throw new NodeError(NodeError.NOT_FOUND, "block %d of chunk %d holds no data", block, c.handle());
        }
        ReplicaFiles.Block b = files.read(first.id().value(), c.handle(), block);
        Reply r = Reply.of("chunk_read_verified_ok");
        if (b.valid()) {
            return r.put("data", text(b.data())).put("checksum_valid", true)
                    .put("stored_checksum", ReplicaFiles.hex(b.stored()))
                    .put("computed_checksum", ReplicaFiles.hex(b.computed()));
        }
        cluster.reportCorrupt(c, first);
        String fallback = null;
        String data = null;
        for (ServerInfo s : readers.subList(1, readers.size())) {
            ReplicaFiles.Block other = files.read(s.id().value(), c.handle(), block);
            if (other.valid()) {
                fallback = s.id().value();
                data = text(other.data());
                break;
            }
            cluster.reportCorrupt(c, s);
        }
        return r.put("data", data).put("checksum_valid", false).put("stored_checksum", ReplicaFiles.hex(b.stored()))
                .put("computed_checksum", ReplicaFiles.hex(b.computed())).put("corruption_reported", true)
                .put("fallback_server", fallback);
    }

    /** The lease holder first, then the other replicas in the master's order. */
    private List<ServerInfo> readOrder(ChunkInfo c) {
        List<ServerInfo> out = new ArrayList<>();
        Lease l = cluster.lease(c.handle());
        if (l != null) {
            out.add(cluster.servers().bySlot(l.primarySlot()));
        }
        for (int slot : c.replicas()) {
            if (l == null || slot != l.primarySlot()) {
                out.add(cluster.servers().bySlot(slot));
            }
        }
        return out;
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> out = new ArrayList<>(rest.size() + 1);
        out.add(first);
        out.addAll(rest);
        return out;
    }
}
