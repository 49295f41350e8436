package dev.grainfs.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.proto.Empty;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatRequest;
import dev.grainfs.core.wire.proto.StatusCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A call the peer never answers fails with ETIMEDOUT after its own timeout, while calls on the same
 * connection that are answered go on working, and a late answer to the timed-out call is dropped.
 */
class CallTimeoutTest {
    @Test
    void unansweredCallTimesOutAndTheConnectionStaysUsable() throws Exception {
        CompletableFuture<RpcCall> parked = new CompletableFuture<>();
        try (RpcServer server = new RpcServer("timeout-test", call -> {
            if (call.request().getStat().getPath().equals("/never")) {
                parked.complete(call); // answered only after the client gave up
            } else {
                call.reply(Response.newBuilder().setEmpty(Empty.getDefaultInstance()));
            }
        }, 1); RpcClient client = new RpcClient("timeout-test", 1)) {
            HostPort a = server.start("127.0.0.1", 0);
            long t0 = System.nanoTime();
            CompletableFuture<Reply> never = client.call(a, stat("/never"), 300);
            ExecutionException e = assertThrows(ExecutionException.class, () -> never.get(30, TimeUnit.SECONDS));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            GrainException g = GrainException.from(e.getCause());
            assertEquals(StatusCode.ETIMEDOUT, g.status(), g.getMessage());
            assertTrue(g.getMessage().contains("stat to " + a + " timed out after 300 ms"), g.getMessage());
            assertTrue(tookMs >= 300, "timed out after " + tookMs + " ms, before its 300 ms");

            parked.get(30, TimeUnit.SECONDS).reply(Response.newBuilder().setEmpty(Empty.getDefaultInstance()));
            for (int i = 0; i < 100; i++) {
                try (Reply r = client.call(a, stat("/f" + i), 30_000).get(30, TimeUnit.SECONDS)) {
                    assertTrue(r.response().hasEmpty());
                }
            }
        }
    }

    private static Request stat(String path) {
        return Request.newBuilder().setStat(StatRequest.newBuilder().setPath(path)).build();
    }
}
