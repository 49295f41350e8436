package dev.grainfs.daemons.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.proto.RegisterRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.ServerAddress;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.master.op.AddChunkOp;
import dev.grainfs.daemons.master.op.CreateOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.MkdirOp;
import dev.grainfs.daemons.testing.MiniCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page and its API stay fast on a big cluster: 20 chunkservers registered through the RPC
 * and 1,000,000 one-chunk files (3 replicas each) applied to the master's state in-process. Prints
 * the measured times (docs/observability.md quotes them).
 */
@Tag("slow")
class StatusScaleTest {
    static final int SERVERS = 20;
    static final int DIRS = 1_000;
    static final int FILES_PER_DIR = 1_000;
    static final List<String> PAGE = List.of("/", "/api/cluster", "/api/servers", "/api/jobs", "/api/ls?path=/",
            "/api/ls?path=/d00042");

    @TempDir
    Path dir;

    @Test
    void pageLoadsUnder200MsWith20ServersAndAMillionFiles() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder(dir).chunkservers(0).http(true)
                .master(m -> m.withDeadAfterMs(600_000)).start();
             RpcClient rpc = new RpcClient("fake-chunkservers", 1)) {
            for (int i = 0; i < SERVERS; i++) {
                Request r = Request.newBuilder().setRegister(RegisterRequest.newBuilder()
                        .setAddress(ServerAddress.newBuilder().setServerId(String.format("cs-fake%02d", i))
                                .setHost("10.0.0." + (i + 1)).setPort(9600).setRack("/rack" + (i % 4)))
                        .setCapacity(4L << 40).setUsed((long) i << 37)).build();
                assertEquals(StatusCode.OK, rpc.call(cluster.masterAddress(), r, 5_000).get(10, TimeUnit.SECONDS)
                        .response().getStatus());
            }
            long t0 = System.nanoTime();
            populate(cluster.master().read(c -> c));
            System.out.printf("populated %,d files with one 3-replica chunk each in %d ms%n", DIRS * FILES_PER_DIR,
                    (System.nanoTime() - t0) / 1_000_000);

            HostPort http = cluster.masterHttp();
            HttpClient client = HttpClient.newHttpClient();
            long firstRequest = time(client, http, "/api/servers"); // HttpClient and codec start-up, class loading
            System.out.printf("first HTTP request of the JVM %.1f ms%n", firstRequest / 1e6);
            long cold = time(client, http, "/api/cluster");
            System.out.printf("first /api/cluster %.1f ms (waits at most 150 ms for the first health walk)%n", cold / 1e6);
            assertTrue(cold < 1_000_000_000L, "first summary took " + cold / 1e6 + " ms");

            // a health walk next to a writer: the writer waits for one slice, never the whole walk. A GC
            // pause or a descheduled thread on a loaded machine stalls the writer too, so the walk gets
            // three tries; a walk that held the lock throughout would stall the writer in every one.
            MasterCore core = cluster.master().read(c -> c);
            long bestWorstWaitNs = Long.MAX_VALUE;
            for (int attempt = 1; attempt <= 3 && bestWorstWaitNs >= 100_000_000L; attempt++) {
                java.util.concurrent.atomic.AtomicLong worstWaitNs = new java.util.concurrent.atomic.AtomicLong();
                java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
                Thread writer = new Thread(() -> {
                    while (!done.get()) {
                        long w0 = System.nanoTime();
                        core.lock.writeLock().lock();
                        worstWaitNs.accumulateAndGet(System.nanoTime() - w0, Math::max);
                        core.lock.writeLock().unlock();
                        Thread.onSpinWait();
                    }
                });
                writer.start();
                long w0 = System.nanoTime();
                cluster.master().status().refreshHealth();
                long walk = System.nanoTime() - w0;
                done.set(true);
                writer.join();
                System.out.printf("health walk %d of %,d chunks %.1f ms; a concurrent writer waited at most %.2f ms%n",
                        attempt, DIRS * FILES_PER_DIR, walk / 1e6, worstWaitNs.get() / 1e6);
                bestWorstWaitNs = Math.min(bestWorstWaitNs, worstWaitNs.get());
            }
            MasterStatus.Summary s = cluster.master().status().summary();
            assertEquals(DIRS * FILES_PER_DIR, s.files());
            assertEquals(DIRS * FILES_PER_DIR, s.chunks());
            assertEquals(SERVERS, s.liveServers());
            assertEquals(0, s.underReplicated());
            assertEquals(0, s.missing());
            assertTrue(bestWorstWaitNs < 100_000_000L, "writer stalled " + bestWorstWaitNs / 1e6 + " ms in every walk");

            for (int i = 0; i < 5; i++) { // warm up the HTTP client and the JIT
                for (String p : PAGE) {
                    time(client, http, p);
                }
            }
            int rounds = 40;
            long[] page = new long[rounds];
            long[][] each = new long[PAGE.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 10 == 0) {
                    Thread.sleep(1_050); // let the summary cache expire: some loads include the walk
                }
                for (int k = 0; k < PAGE.size(); k++) {
                    each[k][r] = time(client, http, PAGE.get(k));
                    page[r] += each[k][r];
                }
            }
            for (int k = 0; k < PAGE.size(); k++) {
                System.out.printf("%-22s median %6.2f ms  max %6.2f ms%n", PAGE.get(k), median(each[k]) / 1e6,
                        Arrays.stream(each[k]).max().getAsLong() / 1e6);
            }
            time(client, http, "/metrics");
            long metrics = time(client, http, "/metrics");
            System.out.printf("whole page (6 requests, sequential) median %.2f ms, max %.2f ms; /metrics %.2f ms%n",
                    median(page) / 1e6, Arrays.stream(page).max().getAsLong() / 1e6, metrics / 1e6);
            assertTrue(median(page) < 200_000_000L, "page load median " + median(page) / 1e6 + " ms");
            // the aim is the median; the worst case only has to show nothing hangs (GC pauses on a busy machine)
            assertTrue(Arrays.stream(page).max().getAsLong() < 5_000_000_000L, "slowest page load");
        }
    }

    /** Applies 1,000 mkdirs and 1,000,000 creates + add-chunks straight to the state, with 3 replicas each. */
    private static void populate(MasterCore core) throws Exception {
        long t = core.nowNs();
        core.lock.writeLock().lock();
        try {
            long inode = core.state.nextInodeId();
            long handle = core.state.nextChunkHandle();
            for (int d = 0; d < DIRS; d++) {
                String dirPath = String.format("/d%05d", d);
                core.state.apply(MasterOp.newBuilder().setTimeNs(t).setMkdir(MkdirOp.newBuilder().setPath(dirPath)
                        .setInode(inode++).setMode(0755)).build());
                for (int f = 0; f < FILES_PER_DIR; f++) {
                    long id = inode++;
                    core.state.apply(MasterOp.newBuilder().setTimeNs(t).setCreate(CreateOp.newBuilder()
                            .setPath(dirPath + "/f" + f).setInode(id).setMode(0644).setReplication(3)
                            .setChunkSize(64L << 20)).build());
                    long h = handle++;
                    core.state.apply(MasterOp.newBuilder().setTimeNs(t).setAddChunk(AddChunkOp.newBuilder()
                            .setInode(id).setIndex(0).setHandle(h).setVersion(1)).build());
                    var chunk = core.state.chunks().get(h);
                    for (int k = 0; k < 3; k++) {
                        int slot = (int) ((h + k) % SERVERS);
                        chunk.addReplica(slot);
                        core.servers.bySlot(slot).adjustChunkCount(1);
                    }
                }
            }
        } finally {
            core.lock.writeLock().unlock();
        }
    }

    private static long time(HttpClient client, HostPort http, String path) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://" + http + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        long took = System.nanoTime() - t0;
        assertEquals(200, r.statusCode(), path);
        return took;
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
