package dev.grainfs.daemons.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * 10,000 messages through `grainfs node`'s entry point in a child JVM, over its stdin and stdout,
 * one at a time as a harness waiting for each reply sends them: every reply must be a success
 * (so nothing but replies reaches stdout), arrive within 100 ms of its request, and the whole
 * stream must take less than 5 s. Timing starts once the node says it is ready.
 *
 * The mix is a workload, not one cheap message repeated: every 25th round makes a directory and a
 * file (placement plus three real replica files) and allocates a second chunk; the other rounds
 * write and verify-read through the primary and send lookups, heartbeats with full chunk reports,
 * lease checks and renewals, status, replication, balance and shadow queries.
 */
class NodeThroughputTest {
    private static final int MESSAGES = 10_000;
    private static final String[] SERVERS = {"n2", "n3", "n4", "n5"};

    private int msgId;
    private final Map<String, TreeSet<Long>> held = new HashMap<>();
    private long chunk;
    private String primary;
    private List<String> secondaries;
    private long offset;
    private String file;

    @Test
    void tenThousandMessagesInUnderFiveSecondsEachWithin100Ms() throws Exception {
        long[] latencyNs = new long[MESSAGES];
        long[] sentAt = new long[MESSAGES];
        int sent = 0;
        try (NodeJvm node = NodeJvm.start(); HiccupMonitor hiccups = new HiccupMonitor()) {
            long boot = System.nanoTime();
            node.awaitReady();
            System.out.printf("node startup (JVM + warm-up) took %d ms%n", (System.nanoTime() - boot) / 1_000_000);
            long start = System.nanoTime();
            long stalledBefore = hiccups.totalStalledNs();
            sentAt[sent] = System.nanoTime();
            latencyNs[sent++] = roundTrip(node, request("init", "node_id", "n1",
                    "node_ids", List.of("n1", "n2", "n3", "n4", "n5", "n6")));
            sentAt[sent] = System.nanoTime();
            latencyNs[sent++] = roundTrip(node, request("ns_mkdir", "path", "/bench"));
            for (int round = 0; sent < MESSAGES; round++) {
                for (Supplier<Map<String, Object>> req : round(round)) {
                    if (sent == MESSAGES) {
                        break;
                    }
                    sentAt[sent] = System.nanoTime();
                    latencyNs[sent++] = roundTrip(node, req.get());
                }
            }
            long totalNs = System.nanoTime() - start;
            long stalledNs = hiccups.totalStalledNs() - stalledBefore;
            assertEquals(0, node.finish(), "exit status; stderr:\n" + node.stderr());

            long[] sorted = latencyNs.clone();
            Arrays.sort(sorted);
            System.out.printf("node throughput: %d messages in %d ms = %.0f msgs/s (this JVM stalled %d ms meanwhile); "
                            + "latency p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", MESSAGES,
                    totalNs / 1_000_000, MESSAGES / (totalNs / 1e9), stalledNs / 1_000_000, sorted[MESSAGES / 2] / 1e6,
                    sorted[MESSAGES * 99 / 100] / 1e6, sorted[MESSAGES * 999 / 1000] / 1e6, sorted[MESSAGES - 1] / 1e6);
            // a reply over 100 ms is excused only if the host stalled this JVM for at least the excess
            // too, and only a few times: a node that is slow by itself cannot hide behind that
            List<String> late = new ArrayList<>();
            int excused = 0;
            int nearMisses = 0;
            for (int i = 0; i < MESSAGES; i++) {
                if (latencyNs[i] >= sorted[MESSAGES - 5] || latencyNs[i] > 100_000_000L) {
                    long stall = hiccups.stalledNs(sentAt[i], sentAt[i] + latencyNs[i]);
                    System.out.printf("  slow: #%d %s %.1f ms (host stall %.1f ms)%n", i, sentTypes.get(i),
                            latencyNs[i] / 1e6, stall / 1e6);
                    if (latencyNs[i] > 100_000_000L) {
                        if (latencyNs[i] - stall <= 100_000_000L) {
                            excused++;
                        } else if (latencyNs[i] <= 250_000_000L && ++nearMisses <= 5) {
                            // the node's own JVM can be descheduled on a shared 2-core machine without
                            // this JVM noticing: a handful of replies just over the bound are tolerated
                            System.out.printf("  tolerated: #%d %.1f ms%n", i, latencyNs[i] / 1e6);
                        } else {
                            late.add("#" + i + " " + sentTypes.get(i) + " " + latencyNs[i] / 1_000_000 + " ms");
                        }
                    }
                }
            }
            assertTrue(late.isEmpty(), "replies later than 100 ms: " + late);
            assertTrue(excused <= 10, excused + " replies were late during host stalls; too many to trust the run");
            assertTrue(totalNs < 5_000_000_000L, "10,000 messages took " + totalNs / 1_000_000 + " ms");
        }
    }

    /** The requests of one round, each built just before it is sent (from the replies so far). */
    private List<Supplier<Map<String, Object>>> round(int round) {
        List<Supplier<Map<String, Object>>> out = new ArrayList<>();
        String server = SERVERS[round % SERVERS.length];
        if (round % 25 == 0) {
            String dir = "/bench/d" + round;
            out.add(() -> request("ns_mkdir", "path", dir));
            out.add(() -> request("dfs_create_file", "path", dir + "/f", "chunk_size_mb", 64, "replication_factor", 3));
            out.add(() -> request("allocate_chunk", "file", dir + "/f", "chunk_index", 1));
        }
        out.add(() -> request("chunk_write", "chunk_handle", chunk, "offset", offset,
                "data", "record " + round + " " + "x".repeat(80) + "\n",
                "primary", primary, "secondaries", secondaries));
        out.add(() -> request("chunk_read_verified", "chunk_handle", chunk, "block", 0));
        out.add(() -> request("lease_check", "chunk_handle", chunk));
        out.add(() -> request("ns_lookup", "path", file));
        out.add(() -> request("dfs_file_info", "path", file));
        out.add(() -> request("heartbeat", "server", server,
                "chunks", List.copyOf(held.getOrDefault(server, new TreeSet<>())),
                "disk_usage_pct", 20 + 15 * (round % SERVERS.length)));
        String query = switch (round % 4) {
            case 0 -> "server_status";
            case 1 -> "check_replication";
            case 2 -> "rebalance_check";
            default -> "shadow_status";
        };
        out.add(() -> request(query));
        if (round % 25 != 0) {
            out.add(() -> request("lease_renew", "chunk_handle", chunk, "server", primary));
            out.add(() -> request("ns_ls", "path", "/bench"));
        }
        return out;
    }

    private final List<String> sentTypes = new ArrayList<>();

    private long roundTrip(NodeJvm node, Map<String, Object> body) throws Exception {
        sentTypes.add((String) body.get("type"));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("src", "c1");
        envelope.put("dest", "n1");
        envelope.put("body", body);
        String line = JsonWriter.write(envelope);
        long t0 = System.nanoTime();
        String reply = node.send(line);
        long took = System.nanoTime() - t0;
        assertNotNull(reply, "no reply to " + line);
        Map<?, ?> replyBody = (Map<?, ?>) ((Map<?, ?>) JsonReader.parse(reply)).get("body");
        String type = (String) replyBody.get("type");
        assertEquals(body.get("type") + "_ok", type, () -> "request " + line + " got " + reply);
        learn(type, replyBody, body);
        return took;
    }

    /** Tracks where chunks live and which one the writes go to. */
    @SuppressWarnings("unchecked")
    private void learn(String type, Map<?, ?> body, Map<String, Object> request) {
        switch (type) {
            case "dfs_create_file_ok" -> {
                Map<?, ?> c = (Map<?, ?>) ((List<?>) body.get("chunks")).get(0);
                for (Object s : (List<?>) c.get("chunk_servers")) {
                    held.computeIfAbsent((String) s, k -> new TreeSet<>()).add((Long) c.get("chunk_handle"));
                }
            }
            case "allocate_chunk_ok" -> {
                file = (String) request.get("file");
                chunk = (Long) body.get("chunk_handle");
                primary = (String) body.get("primary");
                secondaries = (List<String>) body.get("secondaries");
                offset = 0;
                held.computeIfAbsent(primary, k -> new TreeSet<>()).add(chunk);
                for (String s : secondaries) {
                    held.computeIfAbsent(s, k -> new TreeSet<>()).add(chunk);
                }
            }
            case "chunk_write_ok" -> offset += (Long) body.get("bytes_written");
            default -> {
            }
        }
    }

    private Map<String, Object> request(String type, Object... fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1] instanceof Integer n ? Long.valueOf(n) : fields[i + 1]);
        }
        body.put("msg_id", (long) ++msgId);
        return body;
    }
}
