package dev.grainfs.daemons.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.Transports;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random requests (every oneof body, hostile field values, random payloads) straight at the
 * master's and a chunkserver's request handlers: each gets an answer in time (no hang), the daemon
 * keeps serving (no crash), and the answer is a status, never an internal error.
 */
class HandlerFuzzTest {
    @TempDir
    static Path dir;
    static MiniCluster cluster;
    static GrainClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1).withChunkSize(1 << 20))
                .chunkserver(c -> c).start();
        client = cluster.client();
        client.mkdir("/fz", 0777);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    Map<String, Integer> fuzz(HostPort target, String name) throws Exception {
        Random r = new Random(FuzzBudget.seed(name));
        RandomRequests gen = new RandomRequests(r);
        long deadline = FuzzBudget.deadlineNs();
        Map<String, Integer> statuses = new TreeMap<>();
        int n = 0;
        try (RpcClient rpc = new RpcClient(Transports.group(1, "fuzz"), true, 3_000)) {
            while (System.nanoTime() < deadline) {
                // a chunkserver's epoch claim fences the master by design (peers holding the cluster key are
                // trusted, docs/security.md): random epochs would only show that, so they are left out
                Request req = gen.next().toBuilder().setTimeoutMs(5_000).clearEpoch().build();
                byte[] payload = new byte[r.nextInt(4) == 0 ? r.nextInt(300_000) : r.nextInt(64)];
                CompletableFuture<Reply> f = rpc.call(target, req, Unpooled.wrappedBuffer(payload), 10_000);
                String status;
                try (Reply reply = f.get(15, TimeUnit.SECONDS)) {
                    status = "OK";
                } catch (java.util.concurrent.ExecutionException e) {
                    GrainException g = GrainException.from(e.getCause());
                    status = g.status().name();
                    assertNotEquals(StatusCode.ETIMEDOUT, g.status(), "hung on " + req);
                    assertTrue(!g.getMessage().startsWith("internal error") && !g.getMessage().startsWith("master error"),
                            "handler threw on " + req + ": " + g.getMessage());
                }
                statuses.merge(req.getBodyCase() + " " + status, 1, Integer::sum);
                n++;
            }
        }
        System.out.println(name + ": " + n + " requests; " + statuses);
        return statuses;
    }

    void assertAlive() throws Exception {
        assertEquals(StatusCode.OK, StatusCode.OK);
        client.stat("/");
        client.mkdir("/alive-" + System.nanoTime(), 0755);
    }

    @Test
    void masterSurvivesRandomRequests() throws Exception {
        fuzz(cluster.masterAddress(), "master-handlers");
        // the fuzzer may well have sent "safemode enter": an operator would leave it the same way
        try (var admin = dev.grainfs.core.client.MetadataAdmin.connect(client.config())) {
            admin.safeModeLeave();
        }
        assertAlive();
    }

    @Test
    void chunkserverSurvivesRandomRequests() throws Exception {
        fuzz(cluster.chunkServer(0).address(), "chunkserver-handlers");
        assertAlive();
        assertTrue(cluster.master().liveServers() >= 1);
    }
}
