package dev.grainfs.daemons.healing;

import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.core.wire.proto.FsckChunk;
import dev.grainfs.core.wire.proto.FsckFile;
import dev.grainfs.daemons.testing.MiniCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Helpers of the decommission, balancer and setrep tests: the admin client and the master's view. */
final class ClusterAdmin {
    private ClusterAdmin() {
    }

    static MetadataAdmin admin(MiniCluster c) {
        return MetadataAdmin.connect(ClientConfig.of(c.masterAddress()).withRetryMs(5_000));
    }

    /** What the master believes of each chunkserver (a copy, taken under the read lock). */
    record Server(String id, String rack, String state, long used, long capacity, long chunks) {
    }

    /** From the status API's /api/servers model. */
    @SuppressWarnings("unchecked")
    static List<Server> servers(MiniCluster c) {
        List<Server> out = new ArrayList<>();
        for (Object o : (List<Object>) c.master().status().servers().get("servers")) {
            Map<String, Object> s = (Map<String, Object>) o;
            out.add(new Server((String) s.get("id"), (String) s.get("rack"), (String) s.get("state"),
                    ((Number) s.get("usedBytes")).longValue(), ((Number) s.get("capacityBytes")).longValue(),
                    ((Number) s.get("chunks")).longValue()));
        }
        return out;
    }

    static Server server(MiniCluster c, String id) {
        return servers(c).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    /** Every chunk of every file, with --locations. */
    static List<FsckChunk> chunks(MiniCluster c) throws Exception {
        List<FsckChunk> out = new ArrayList<>();
        for (FsckFile f : Healing.fsckChunks(c.client()).getFileListList()) {
            out.addAll(f.getChunksList());
        }
        return out;
    }
}
