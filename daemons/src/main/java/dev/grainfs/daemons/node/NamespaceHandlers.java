package dev.grainfs.daemons.node;

import dev.grainfs.core.GrainException;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.namespace.DirInode;
import dev.grainfs.daemons.master.namespace.FileInode;
import dev.grainfs.daemons.master.namespace.Inode;
import dev.grainfs.daemons.master.op.CreateOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.MkdirOp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ns_mkdir, ns_ls, ns_lookup, dfs_create_file, dfs_file_info: the master's namespace tree. */
final class NamespaceHandlers {
    private final Cluster cluster;

    NamespaceHandlers(Cluster cluster) {
        this.cluster = cluster;
    }

    void register(Map<String, Handler> table) {
        table.put("ns_mkdir", this::mkdir);
        table.put("ns_ls", this::ls);
        table.put("ns_lookup", this::lookup);
        table.put("dfs_create_file", this::createFile);
        table.put("dfs_file_info", this::fileInfo);
    }

    /** Like mkdir(2): the parent must exist (20), the name must be free (21). */
    private Reply mkdir(Fields body) throws NodeError, GrainException {
        String path = body.string("path");
        cluster.log(MasterOp.newBuilder().setMkdir(MkdirOp.newBuilder()
                .setPath(path).setInode(cluster.state().nextInodeId()).setMode(0755)));
        return Reply.of("ns_mkdir_ok").put("path", path);
    }

    private Reply ls(Fields body) throws NodeError, GrainException {
        String path = body.string("path");
        if (!(cluster.state().tree().resolve(path, true) instanceof DirInode d)) {
            throw new NodeError(NodeError.PRECONDITION, "%s: not a directory", path);
        }
        List<String> names = new ArrayList<>();
        for (Inode child : d.list(null, Integer.MAX_VALUE)) {
            names.add(child.name());
        }
        return Reply.of("ns_ls_ok").put("children", names);
    }

    private Reply lookup(Fields body) throws NodeError, GrainException {
        FileInode f = cluster.file(body.string("path"));
        List<Object> chunks = new ArrayList<>();
        for (ChunkInfo c : f.chunks()) {
            if (c != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("chunk_handle", c.handle());
                m.put("servers", cluster.names(c.replicas()));
                chunks.add(m);
            }
        }
        return Reply.of("ns_lookup_ok").put("chunks", chunks);
    }

    /** Creates the file and its first chunk, placed and leased as allocate_chunk would. */
    private Reply createFile(Fields body) throws NodeError, GrainException, IOException {
        String path = body.string("path");
        long chunkMb = body.range("chunk_size_mb", body.integer("chunk_size_mb", Cluster.DEFAULT_CHUNK_MB), 1,
                ReplicaFiles.MAX_CHUNK_BYTES >> 20);
        long rf = body.range("replication_factor",
                body.integer("replication_factor", Cluster.DEFAULT_REPLICATION), 1, 512);
        // refuse before changing anything: a bad path, then a cluster that cannot take the chunk
        if (cluster.state().tree().resolveParent(path).existing() != null) {
            throw new NodeError(NodeError.EXISTS, "%s: file exists", path);
        }
        if (cluster.servers().live().stream().noneMatch(s -> s.free() >= 64L << 20)) {
            throw new NodeError(NodeError.UNAVAILABLE, "no live chunkserver with free space");
        }
        long inode = cluster.state().nextInodeId();
        cluster.log(MasterOp.newBuilder().setCreate(CreateOp.newBuilder().setPath(path).setInode(inode)
                .setMode(0644).setReplication((int) rf).setChunkSize(chunkMb << 20)));
        ChunkInfo c = cluster.allocate(cluster.state().file(inode), 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chunk_handle", c.handle());
        m.put("chunk_servers", cluster.names(c.replicas()));
        m.put("primary", cluster.name(cluster.lease(c.handle()).primarySlot()));
        return Reply.of("dfs_create_file_ok").put("chunks", List.of(m));
    }

    private Reply fileInfo(Fields body) throws NodeError, GrainException {
        FileInode f = cluster.file(body.string("path"));
        return Reply.of("dfs_file_info_ok").put("size_bytes", f.size()).put("chunks", f.chunkCount())
                .put("replication_factor", f.replication());
    }
}
