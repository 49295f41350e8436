package dev.grainfs.daemons.node;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one of every message through a throwaway node before the real one reads stdin, so that the
 * first requests do not pay for class loading and initialisation (protobuf descriptors, the chunk
 * store, logging, the JDK's lambda and string-concatenation bootstraps): that first-use cost is
 * over a second, the replies' budget is 100 ms each.
 */
final class Warmup {
    private static final String E = "{\"src\": \"w\", \"dest\": \"w1\", \"body\": {\"msg_id\": 1, \"type\": ";
    private static final List<String> SESSION = List.of(
            E + "\"init\", \"node_id\": \"w1\", \"node_ids\": [\"w1\", \"w2\", \"w3\", \"w4\"]}}",
            E + "\"ns_mkdir\", \"path\": \"/d\"}}",
            E + "\"dfs_create_file\", \"path\": \"/d/f\", \"chunk_size_mb\": 1, \"replication_factor\": 2}}",
            E + "\"ns_ls\", \"path\": \"/d\"}}",
            E + "\"ns_lookup\", \"path\": \"/d/f\"}}",
            E + "\"dfs_file_info\", \"path\": \"/d/f\"}}",
            E + "\"allocate_chunk\", \"file\": \"/d/f\", \"chunk_index\": 0}}",
            E + "\"lease_grant\", \"chunk_handle\": 1, \"server\": \"w2\"}}",
            E + "\"lease_renew\", \"chunk_handle\": 1, \"server\": \"w2\"}}",
            E + "\"lease_check\", \"chunk_handle\": 1}}",
            E + "\"chunk_write\", \"chunk_handle\": 1, \"offset\": 0, \"data\": \"warm\", \"primary\": \"w2\", "
                    + "\"secondaries\": [\"w3\"]}}",
            E + "\"chunk_read_verified\", \"chunk_handle\": 1, \"block\": 0}}",
            E + "\"heartbeat\", \"server\": \"w2\", \"chunks\": [1, 9], \"disk_usage_pct\": 50}}",
            E + "\"server_status\"}}",
            E + "\"check_replication\"}}",
            E + "\"heartbeat\", \"server\": \"w5\", \"chunks\": [], \"disk_usage_pct\": 1}}",
            E + "\"replicate_chunk\", \"chunk\": 1, \"source\": \"w2\", \"target\": \"w5\"}}",
            E + "\"rebalance_check\"}}",
            E + "\"rebalance_execute\", \"moves\": [{\"chunk\": 1, \"from\": \"w5\", \"to\": \"w3\"}]}}",
            E + "\"shadow_status\"}}",
            E + "\"trigger_failover\", \"failed_master\": \"w1\"}}",
            E + "\"nope\"}}",
            "not json");

    private Warmup() {
    }

    /** Runs the session in {@code scratch} (left for the caller to delete), 3 times over. */
    static void run(Path scratch) throws IOException {
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        for (int round = 0; round < 3; round++) {
            try (NodeProtocol node = new NodeProtocol(() -> 0, scratch.resolve("r" + round), silent)) {
                for (String line : SESSION) {
                    node.handle(line);
                }
            }
        }
    }
}
