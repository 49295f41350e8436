package dev.grainfs.core.client;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatusCode;
import java.util.List;

/**
 * Calls the master on behalf of a client: stamps the caller's identity, retries while the master
 * is unreachable or in safe mode (up to the configured time), and moves to the next master of the
 * list when one does not answer or is not the active one (a shadow, or a master fenced by a
 * failover: ENOTACTIVE). Thread-safe.
 */
public final class MasterClient {
    private final RpcClient rpc;
    private final List<HostPort> masters;
    private final long timeoutMs;
    private final long retryMs;
    private volatile int current;

    MasterClient(RpcClient rpc, ClientConfig config) {
        this.rpc = rpc;
        this.masters = config.masters();
        this.timeoutMs = config.callTimeoutMs();
        this.retryMs = config.retryMs();
    }

    public HostPort master() {
        return masters.get(current);
    }

    /** Sends one request as {@code caller}; returns the answer or throws its error. */
    public Response call(Caller caller, Request.Builder request) throws GrainException {
        Request r = request.setCaller(caller).build();
        long deadline = System.nanoTime() + retryMs * 1_000_000L;
        long backoff = 50;
        while (true) {
            int idx = current;
            HostPort m = masters.get(idx);
            try (Reply reply = rpc.call(m, r, timeoutMs).join()) {
                return reply.response();
            } catch (RuntimeException e) {
                GrainException g = GrainException.from(e);
                boolean retriable = g.status() == StatusCode.EAGAIN
                        // a shadow or fenced master: the active one is another of the list (during a
                        // failover, none may be active yet: keep going round until the retry window ends)
                        || (g.status() == StatusCode.ENOTACTIVE && masters.size() > 1)
                        || (g.status() == StatusCode.EIO && g.failedServer().equals(m.toString()))
                        || (g.status() == StatusCode.ETIMEDOUT && g.failedServer().equals(m.toString()));
                if (!retriable || System.nanoTime() > deadline) {
                    throw g;
                }
                if (g.status() != StatusCode.EAGAIN && masters.size() > 1) {
                    current = (idx + 1) % masters.size();
                }
                sleep(backoff);
                backoff = Math.min(1_000, backoff * 2);
            }
        }
    }

    private static void sleep(long ms) throws GrainException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GrainException(StatusCode.EIO, "interrupted");
        }
    }
}
