package dev.grainfs.daemons.master.state;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.chunk.ChunkTable;
import dev.grainfs.daemons.master.namespace.FileInode;
import dev.grainfs.daemons.master.namespace.Inode;
import dev.grainfs.daemons.master.namespace.NamespaceTree;
import dev.grainfs.daemons.master.op.AddChunkOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.SetAttrOp;
import dev.grainfs.daemons.master.op.SetSizeOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The master's durable state (namespace, file -> chunks, chunk versions, id counters) and the one
 * place it changes: {@link #apply}. Live mutations and log replay both go through apply, so the
 * state after replay equals the state that was acknowledged.
 *
 * apply checks an operation completely before changing anything: an op that throws left the
 * state as it was (and must not be logged). Not thread-safe: callers hold the master's write lock.
 */
public final class MasterState {
    private final NamespaceTree tree;
    private final ChunkTable chunks = new ChunkTable();
    private long nextInodeId = NamespaceTree.ROOT_ID + 1;
    private long nextChunkHandle = 1;
    private long appliedOps;
    /** Ids of chunkservers an operator decommissioned (DecommissionOp), in request order. */
    private final java.util.Set<String> decommissioned = new java.util.LinkedHashSet<>();

    public MasterState(long createdNs) {
        this.tree = new NamespaceTree(createdNs);
    }

    /** Writes the durable state (a checkpoint body); caller holds at least the read lock. */
    public void save(java.io.DataOutput out) throws java.io.IOException {
        out.writeLong(nextInodeId);
        out.writeLong(nextChunkHandle);
        dev.grainfs.daemons.master.namespace.NamespaceImage.write(tree, out);
        if (!decommissioned.isEmpty()) {
            // an optional trailer, so that images without decommissions keep their format
            out.writeInt(decommissioned.size());
            for (String id : decommissioned) {
                out.writeUTF(id);
            }
        }
    }

    /** Reads the decommission trailer {@link #save} writes after the namespace when there is one. */
    public void loadDecommissioned(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            decommissioned.add(in.readUTF());
        }
    }

    /** Chunkservers decommissioned by an operator (ids); read-only view. */
    public java.util.Set<String> decommissioned() {
        return java.util.Collections.unmodifiableSet(decommissioned);
    }

    /** Rebuilds the state a checkpoint body describes. */
    public static MasterState load(java.io.DataInput in) throws java.io.IOException {
        MasterState s = new MasterState(0);
        s.nextInodeId = in.readLong();
        s.nextChunkHandle = in.readLong();
        dev.grainfs.daemons.master.namespace.NamespaceImage.read(in, s.tree, s.chunks);
        return s;
    }

    public NamespaceTree tree() {
        return tree;
    }

    public ChunkTable chunks() {
        return chunks;
    }

    public long nextInodeId() {
        return nextInodeId;
    }

    public long nextChunkHandle() {
        return nextChunkHandle;
    }

    public long appliedOps() {
        return appliedOps;
    }

    /**
     * Applies one operation. Returns the chunks the operation freed (deleted or truncated files),
     * whose replicas the caller schedules for deletion.
     */
    public List<ChunkInfo> apply(MasterOp op) throws GrainException {
        long t = op.getTimeNs();
        List<ChunkInfo> freed = List.of();
        switch (op.getOpCase()) {
            case MKDIR -> {
                var m = op.getMkdir();
                tree.mkdir(m.getPath(), m.getInode(), m.getMode(), m.getUid(), m.getGid(), t);
                nextInodeId = Math.max(nextInodeId, m.getInode() + 1);
            }
            case CREATE -> {
                var c = op.getCreate();
                tree.createFile(c.getPath(), c.getInode(), c.getMode(), c.getUid(), c.getGid(), t,
                        c.getReplication(), c.getChunkSize());
                nextInodeId = Math.max(nextInodeId, c.getInode() + 1);
            }
            case SYMLINK -> {
                var s = op.getSymlink();
                tree.symlink(s.getPath(), s.getInode(), s.getTarget(), s.getUid(), s.getGid(), t);
                nextInodeId = Math.max(nextInodeId, s.getInode() + 1);
            }
            case DELETE -> freed = freeChunks(tree.remove(op.getDelete().getPath(), t));
            case RENAME -> freed = freeChunks(tree.rename(op.getRename().getSrc(), op.getRename().getDst(), t));
            case SET_ATTR -> setAttr(op.getSetAttr(), t);
            case SET_SIZE -> freed = setSize(op.getSetSize(), t);
            case ADD_CHUNK -> addChunk(op.getAddChunk());
            case SET_CHUNK_VERSION -> {
                var v = op.getSetChunkVersion();
                ChunkInfo c = chunks.get(v.getHandle());
                if (c == null) {
                    throw GrainException.of(StatusCode.ENOENT, "chunk %x does not exist", v.getHandle());
                }
                c.setVersion(v.getVersion());
            }
            case DECOMMISSION -> {
                var d = op.getDecommission();
                if (d.getServerId().isEmpty()) {
                    throw GrainException.of(StatusCode.EINVAL, "decommission without a server id");
                }
                if (d.getCancel()) {
                    decommissioned.remove(d.getServerId());
                } else {
                    decommissioned.add(d.getServerId());
                }
            }
            case OP_NOT_SET -> throw GrainException.of(StatusCode.EINVAL, "empty operation");
        }
        appliedOps++;
        return freed;
    }

    private void setAttr(SetAttrOp a, long t) throws GrainException {
        Inode i = tree.resolve(a.getPath(), false);
        if (a.hasReplication() && !(i instanceof FileInode)) {
            throw GrainException.of(StatusCode.EINVAL, "%s: replication applies to files only", a.getPath());
        }
        if (a.hasMode()) {
            i.setMode(a.getMode(), t);
        }
        if (a.hasUid() || a.hasGid()) {
            i.setOwner(a.hasUid() ? a.getUid() : i.uid(), a.hasGid() ? a.getGid() : i.gid(), t);
        }
        if (a.hasAtimeNs() || a.hasMtimeNs()) {
            i.setTimes(a.hasAtimeNs() ? a.getAtimeNs() : -1, a.hasMtimeNs() ? a.getMtimeNs() : -1, t);
        }
        if (a.hasReplication()) {
            ((FileInode) i).setReplication(a.getReplication());
            i.touchCtime(t);
        }
    }

    private List<ChunkInfo> setSize(SetSizeOp s, long t) throws GrainException {
        FileInode f = file(s.getInode());
        long mtime = s.getMtimeNs() != 0 ? s.getMtimeNs() : t;
        if (!s.getExact()) {
            if (s.getSize() > f.size()) {
                f.setSize(s.getSize());
            }
            f.setTimes(-1, mtime, t);
            return List.of();
        }
        f.setSize(s.getSize());
        f.setTimes(-1, mtime, t);
        long keep = (s.getSize() + f.chunkSize() - 1) / f.chunkSize();
        List<ChunkInfo> freed = new ArrayList<>();
        for (ChunkInfo c : f.dropChunksFrom(keep)) {
            if (c != null) {
                chunks.remove(c);
                freed.add(c);
            }
        }
        return freed;
    }

    private void addChunk(AddChunkOp a) throws GrainException {
        FileInode f = file(a.getInode());
        if (f.chunk(a.getIndex()) != null) {
            throw GrainException.of(StatusCode.EEXIST, "chunk %d of inode %d exists", a.getIndex(), a.getInode());
        }
        if (chunks.get(a.getHandle()) != null) {
            throw GrainException.of(StatusCode.EEXIST, "chunk handle %x in use", a.getHandle());
        }
        f.setChunk(a.getIndex(), chunks.add(a.getHandle(), a.getVersion(), f, a.getIndex()));
        nextChunkHandle = Math.max(nextChunkHandle, a.getHandle() + 1);
    }

    public FileInode file(long inode) throws GrainException {
        Inode i = tree.byId(inode);
        if (i == null) {
            throw GrainException.of(StatusCode.ENOENT, "inode %d no longer exists", inode);
        }
        if (!(i instanceof FileInode f)) {
            throw GrainException.of(StatusCode.EISDIR, "inode %d is not a regular file", inode);
        }
        return f;
    }

    private List<ChunkInfo> freeChunks(List<Inode> removed) {
        List<ChunkInfo> freed = new ArrayList<>();
        for (Inode i : removed) {
            if (i instanceof FileInode f) {
                for (ChunkInfo c : f.chunks()) {
                    if (c != null) {
                        chunks.remove(c);
                        freed.add(c);
                    }
                }
            }
        }
        return freed;
    }
}
