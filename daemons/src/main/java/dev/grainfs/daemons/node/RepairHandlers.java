package dev.grainfs.daemons.node;

import dev.grainfs.daemons.chunkserver.store.ChunkCorruptException;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.server.ServerInfo;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** check_replication, replicate_chunk, rebalance_check, rebalance_execute: re-replication and balancing. */
final class RepairHandlers {
    /** A server is overloaded above the average utilisation + 20 points, underloaded below - 20. */
    static final BigDecimal THRESHOLD_POINTS = BigDecimal.valueOf(20);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final Cluster cluster;

    RepairHandlers(Cluster cluster) {
        this.cluster = cluster;
    }

    void register(Map<String, Handler> table) {
        table.put("check_replication", this::checkReplication);
        table.put("replicate_chunk", this::replicate);
        table.put("rebalance_check", this::rebalanceCheck);
        table.put("rebalance_execute", this::rebalanceExecute);
    }

    private Reply checkReplication(Fields body) {
        List<Object> out = new ArrayList<>();
        for (ChunkInfo c : cluster.underReplicated()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("chunk", c.handle());
            m.put("current_rf", c.replicas().length);
            m.put("target_rf", c.file().replication());
            List<String> missing = cluster.missingOn(c);
            if (!missing.isEmpty()) {
                m.put("missing_on", missing);
            }
            if (c.replicas().length <= 1) {
                m.put("priority", "critical");
            }
            out.add(m);
        }
        return Reply.of("check_replication_ok").put("under_replicated", out);
    }

    /** Clones a replica chunkserver to chunkserver; the source's blocks are verified on the way. */
    private Reply replicate(Fields body) throws NodeError, IOException {
        ChunkInfo c = cluster.chunk(body.integer("chunk"));
        ServerInfo from = cluster.chunkserver(body.string("source"));
        ServerInfo to = cluster.chunkserver(body.string("target"));
        long bytes = checkCopy(c, from, to, replicaSet(c));
        cluster.files().copy(from.id().value(), to.id().value(), c.handle());
        cluster.addReplica(c, to);
        to.pendingDeletes().remove(c.handle());
        return Reply.of("replicate_chunk_ok").put("chunk", c.handle()).put("new_rf", c.replicas().length)
                .put("bytes_copied", bytes);
    }

    private Reply rebalanceCheck(Fields body) {
        List<ServerInfo> weighed = new ArrayList<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (ServerInfo s : cluster.servers().live()) {
            if (cluster.hasReportedUsage(s)) {
                weighed.add(s);
                sum = sum.add(utilization(s));
            }
        }
        BigDecimal avg = weighed.isEmpty() ? BigDecimal.ZERO
                : sum.divide(BigDecimal.valueOf(weighed.size()), 12, RoundingMode.HALF_EVEN);
        List<ServerInfo> over = new ArrayList<>();
        List<ServerInfo> under = new ArrayList<>();
        for (ServerInfo s : weighed) {
            if (utilization(s).compareTo(avg.add(THRESHOLD_POINTS)) > 0) {
                over.add(s);
            } else if (utilization(s).compareTo(avg.subtract(THRESHOLD_POINTS)) < 0) {
                under.add(s);
            }
        }
        // most out of balance first; ties in slot (init) order, which the sort keeps
        over.sort(Comparator.comparing(RepairHandlers::utilization).reversed());
        under.sort(Comparator.comparing(RepairHandlers::utilization));
        return Reply.of("rebalance_check_ok").put("average_utilization_pct", round2(avg))
                .put("overloaded", usage(over)).put("underloaded", usage(under));
    }

    /** Checks every move first (in order, each seeing the ones before), then makes them all. */
    private Reply rebalanceExecute(Fields body) throws NodeError, IOException {
        record Move(ChunkInfo chunk, ServerInfo from, ServerInfo to) {
        }
        List<Move> moves = new ArrayList<>();
        Map<Long, Set<Integer>> view = new HashMap<>();
        long bytes = 0;
        for (Fields m : body.objects("moves")) {
            ChunkInfo c = cluster.chunk(m.integer("chunk"));
            ServerInfo from = cluster.chunkserver(m.string("from"));
            ServerInfo to = cluster.chunkserver(m.string("to"));
            Set<Integer> holders = view.computeIfAbsent(c.handle(), h -> replicaSet(c));
            bytes += checkCopy(c, from, to, holders);
            holders.remove(from.slot());
            holders.add(to.slot());
            moves.add(new Move(c, from, to));
        }
        for (Move m : moves) {
            cluster.files().copy(m.from().id().value(), m.to().id().value(), m.chunk().handle());
            cluster.moveReplica(m.chunk(), m.from(), m.to());
        }
        return Reply.of("rebalance_execute_ok").put("moved", moves.size()).put("bytes_transferred", bytes);
    }

    /**
     * Checks that a replica can be copied {@code from -> to} when {@code holders} hold the chunk, and
     * verifies the source's blocks if it is an existing replica (a bad one is reported); returns its length.
     */
    private long checkCopy(ChunkInfo c, ServerInfo from, ServerInfo to, Set<Integer> holders)
            throws NodeError, IOException {
        if (from == to) {
            throw new NodeError(NodeError.MALFORMED, "source and target are both %s", from.id());
        }
        if (!from.isLive() || !to.isLive()) {
            throw new NodeError(NodeError.PRECONDITION, "chunkserver %s is dead", from.isLive() ? to.id() : from.id());
        }
        if (!holders.contains(from.slot())) {
            throw new NodeError(NodeError.PRECONDITION, "%s holds no replica of chunk %d", from.id(), c.handle());
        }
        if (holders.contains(to.slot())) {
            throw new NodeError(NodeError.EXISTS, "%s already holds a replica of chunk %d", to.id(), c.handle());
        }
        long length;
        try {
            // a source that gets its copy from an earlier move of the same batch has the bytes of that move
            length = c.hasReplica(from.slot()) ? cluster.files().verifyAll(from.id().value(), c.handle())
                    : cluster.files().length(cluster.name(c.replicas()[0]), c.handle());
        } catch (ChunkCorruptException e) {
            cluster.reportCorrupt(c, from);
            throw new NodeError(NodeError.ABORT, "replica of chunk %d on %s fails its checksum; reported bad, "
                    + "nothing copied", c.handle(), from.id());
        }
        if (to.free() < length) {
            throw new NodeError(NodeError.PRECONDITION, "%s has no room for chunk %d", to.id(), c.handle());
        }
        return length;
    }

    private static Set<Integer> replicaSet(ChunkInfo c) {
        Set<Integer> out = new HashSet<>();
        for (int slot : c.replicas()) {
            out.add(slot);
        }
        return out;
    }

    /** Disk utilisation in percent, from the usage the server last reported. */
    static BigDecimal utilization(ServerInfo s) {
        return s.capacity() == 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(s.used()).multiply(HUNDRED).divide(BigDecimal.valueOf(s.capacity()), 12,
                        RoundingMode.HALF_EVEN);
    }

    private static List<Object> usage(List<ServerInfo> servers) {
        List<Object> out = new ArrayList<>();
        for (ServerInfo s : servers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", s.id().value());
            m.put("utilization_pct", round2(utilization(s)));
            out.add(m);
        }
        return out;
    }

    private static BigDecimal round2(BigDecimal d) {
        return d.setScale(2, RoundingMode.HALF_EVEN);
    }
}
