package dev.grainfs.daemons.node;

import dev.grainfs.core.GrainException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One node's side of the JSON-lines protocol: takes a request line, returns the reply line.
 *
 * A line's stages, in order:
 * <ol>
 *   <li>parse the JSON (error 12 if it is not JSON);
 *   <li>check the envelope: an object with string src and dest, an object body with a string type (12);
 *   <li>look the type up (10 if unknown);
 *   <li>check there is an integer msg_id (12); before init, anything but init gets 11;
 *   <li>run the cluster's clock-driven bookkeeping, then the type's handler.
 * </ol>
 * Every line gets exactly one reply, and the msg_id counter counts every reply from 0. Not
 * thread-safe: one reader thread calls {@link #handle}.
 */
final class NodeProtocol implements java.io.Closeable {
    private static final Set<String> TYPES = Set.of("init", "dfs_create_file", "dfs_file_info", "ns_mkdir",
            "ns_lookup", "ns_ls", "allocate_chunk", "chunk_write", "lease_grant", "lease_renew", "lease_check",
            "heartbeat", "server_status", "check_replication", "replicate_chunk", "rebalance_check",
            "rebalance_execute", "shadow_status", "trigger_failover", "chunk_read_verified");

    private final LongSupplier clock;
    private final Path dataDir;
    private final PrintStream log;
    private final Map<String, Handler> handlers = new HashMap<>();
    private Cluster cluster;
    private long nextMsgId;

    NodeProtocol(LongSupplier clock, Path dataDir, PrintStream log) {
        this.clock = clock;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** The reply to one request line. */
    String handle(String line) {
        String src = null;
        String dest = null;
        Long inReplyTo = null;
        Reply reply;
        try {
            if (!(JsonReader.parse(line) instanceof Map<?, ?> envelope)) {
                throw new NodeError(NodeError.MALFORMED, "a message must be a JSON object");
            }
            src = envelope.get("src") instanceof String s ? s : null;
            dest = envelope.get("dest") instanceof String s ? s : null;
            Map<String, Object> body = envelope.get("body") instanceof Map<?, ?> m ? cast(m) : null;
            inReplyTo = body != null && body.get("msg_id") instanceof Long id ? id : null;
            if (src == null || dest == null || body == null) {
                throw new NodeError(NodeError.MALFORMED, "a message needs string src and dest and an object body");
            }
            if (!(body.get("type") instanceof String type)) {
                throw new NodeError(NodeError.MALFORMED, "body has no string type");
            }
            if (!TYPES.contains(type)) {
                throw new NodeError(NodeError.NOT_SUPPORTED, "message type '%s' is not supported", type);
            }
            if (inReplyTo == null) {
                throw new NodeError(NodeError.MALFORMED, "body has no integer msg_id");
            }
            reply = dispatch(type, new Fields(body, "body"));
        } catch (NodeError e) {
            reply = Reply.error(e);
        } catch (GrainException e) {
            reply = Reply.error(NodeError.of(e));
        } catch (IOException | RuntimeException e) {
            // a replica file failed, or a bug: the node reports it and keeps going
            log.println("grainfs node: " + e);
            e.printStackTrace(log);
            reply = Reply.error(new NodeError(NodeError.CRASH, "internal failure; the cause is in the node's log"));
        }
        if (reply.type().equals("error")) {
            log.println("grainfs node: " + (inReplyTo == null ? "" : "msg " + inReplyTo + ": ") + reply.errorText());
        }
        // before init the node has no id of its own yet; it answers as whom it was addressed to
        String self = cluster != null ? cluster.nodeId() : dest;
        return reply.toLine(self, src, inReplyTo, nextMsgId++);
    }

    /** The reply to a line that could not even be read (too long): nothing to address it to. */
    String reject(NodeError e) {
        log.println("grainfs node: " + e.getMessage());
        return Reply.error(e).toLine(cluster != null ? cluster.nodeId() : null, null, null, nextMsgId++);
    }

    private Reply dispatch(String type, Fields body) throws NodeError, GrainException, IOException {
        if (type.equals("init")) {
            return init(body);
        }
        if (cluster == null) {
            throw new NodeError(NodeError.UNAVAILABLE, "not initialised: the first message must be init");
        }
        cluster.tick();
        return handlers.get(type).handle(body);
    }

    private Reply init(Fields body) throws NodeError {
        if (cluster != null) {
            throw new NodeError(NodeError.PRECONDITION, "already initialised as %s", cluster.nodeId());
        }
        String id = body.string("node_id");
        Cluster c = new Cluster(id, body.strings("node_ids"), clock, dataDir);
        new NamespaceHandlers(c).register(handlers);
        new ChunkHandlers(c).register(handlers);
        new LeaseHandlers(c).register(handlers);
        new ServerHandlers(c).register(handlers);
        new RepairHandlers(c).register(handlers);
        new FailoverHandlers(c).register(handlers);
        if (handlers.size() != TYPES.size() - 1 || !TYPES.containsAll(handlers.keySet())) {
            throw new IllegalStateException("handlers " + handlers.keySet() + " do not match the types " + TYPES);
        }
        cluster = c;
        log.println("grainfs node: " + id + " is the primary master; shadow "
                + (c.shadow() == null ? "none" : c.shadow().id()) + "; chunkservers " + c.servers().all().size());
        return Reply.of("init_ok");
    }

    /** Closes the simulated chunkservers' stores (their files stay for the caller to remove). */
    @Override
    public void close() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
