package dev.grainfs.daemons.master.fsck;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.FsckChunk;
import dev.grainfs.core.wire.proto.FsckFile;
import dev.grainfs.core.wire.proto.FsckRequest;
import dev.grainfs.core.wire.proto.FsckResponse;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.namespace.FileInode;
import dev.grainfs.daemons.master.namespace.Inode;
import dev.grainfs.daemons.master.namespace.NamespaceTree;
import dev.grainfs.daemons.master.replication.ReplicationMonitor;
import dev.grainfs.daemons.master.server.ServerInfo;
import dev.grainfs.daemons.master.server.ServerRegistry;
import dev.grainfs.daemons.master.state.MasterState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks a subtree of the namespace and checks every chunk against the location map: missing (no
 * live replica), corrupt (a replica reported bad and not yet replaced), under-, over- and
 * mis-replicated (all replicas on one rack of several). Healthy means none of these.
 * Caller holds the master's read lock.
 */
public final class Fsck {
    private Fsck() {
    }

    public static FsckResponse.Builder run(MasterState state, ServerRegistry servers, ReplicationMonitor monitor,
                                           FsckRequest r) throws GrainException {
        Inode top = state.tree().resolve(r.getPath().isEmpty() ? "/" : r.getPath(), true);
        FsckResponse.Builder out = FsckResponse.newBuilder();
        int racks = monitor.liveRacks();
        for (Inode i : NamespaceTree.subtree(top)) {
            if (i.isDir()) {
                out.setDirs(out.getDirs() + 1);
            } else if (i instanceof FileInode f) {
                checkFile(f, servers, monitor, racks, r, out);
            }
        }
        for (ServerInfo s : servers.all()) {
            if (s.isLive()) {
                out.setLiveServers(out.getLiveServers() + 1);
            } else {
                out.setDeadServers(out.getDeadServers() + 1);
            }
        }
        out.setCopiesInFlight(monitor.inFlight()).setRacks(racks);
        // extra replicas (a server came back, a lower setrep) are counted but are no risk to data: as in
        // HDFS they leave the verdict HEALTHY, and the monitor trims them once no lease holds the chunk
        out.setHealthy(out.getMissing() + out.getCorrupt() + out.getUnderReplicated() + out.getMisReplicated() == 0);
        return out;
    }

    private static void checkFile(FileInode f, ServerRegistry servers, ReplicationMonitor monitor, int racks,
                                  FsckRequest r, FsckResponse.Builder out) {
        FsckFile.Builder fb = FsckFile.newBuilder().setPath(f.path()).setSize(f.size()).setReplication(f.replication())
                .setChunkCount(f.chunkCount()).setHealthy(true);
        out.setFiles(out.getFiles() + 1).setBytes(out.getBytes() + f.size());
        for (ChunkInfo c : f.chunks()) {
            if (c == null) {
                continue;
            }
            out.setChunks(out.getChunks() + 1);
            FsckChunk.Builder cb = FsckChunk.newBuilder().setIndex(c.index()).setHandle(c.handle())
                    .setVersion(c.version()).setExpected(f.replication()).setCorrupt(monitor.corrupt().count(c.handle()));
            List<String> problems = new ArrayList<>();
            Set<String> replicaRacks = new HashSet<>();
            int live = 0;
            int leaving = 0; // on decommissioning servers: readable, but not counted
            for (int slot : c.replicas()) {
                ServerInfo s = servers.bySlot(slot);
                if (s.countsAsReplica()) {
                    live++;
                    replicaRacks.add(s.rack());
                } else if (s.isLive()) {
                    leaving++;
                }
                if (s.isLive() && r.getLocations()) {
                    cb.addReplicas(s.id().value() + "@" + s.address() + s.rack()
                            + (s.countsAsReplica() ? "" : " (" + s.adminState().toLowerCase() + ")"));
                }
            }
            cb.setLive(live);
            out.setReplicas(out.getReplicas() + live);
            if (live + leaving == 0) {
                problems.add("MISSING");
                out.setMissing(out.getMissing() + 1);
            }
            if (cb.getCorrupt() > 0) {
                problems.add("CORRUPT");
                out.setCorrupt(out.getCorrupt() + 1);
            }
            if (live + leaving > 0 && live + leaving < f.replication()) {
                problems.add("UNDER");
                out.setUnderReplicated(out.getUnderReplicated() + 1);
            }
            if (live > f.replication()) {
                problems.add("OVER");
                out.setOverReplicated(out.getOverReplicated() + 1);
            }
            if (live > 1 && racks > 1 && f.replication() > 1 && replicaRacks.size() < 2) {
                problems.add("MIS-REPLICATED");
                out.setMisReplicated(out.getMisReplicated() + 1);
            }
            cb.setProblem(String.join(",", problems));
            if (!problems.isEmpty() && !problems.equals(List.of("OVER"))) {
                fb.setHealthy(false);
            }
            if (r.getChunks() || !problems.isEmpty()) {
                fb.addChunks(cb);
            }
        }
        if (r.getFiles() || !fb.getHealthy()) {
            out.addFileList(fb);
        }
    }
}
