package dev.grainfs.daemons.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.ChunkTokens;
import dev.grainfs.core.security.ChunkTokens.Access;
import dev.grainfs.core.security.ClusterKey;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.Transports;
import dev.grainfs.core.wire.proto.ChunkLocation;
import dev.grainfs.core.wire.proto.ReadChunkRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.StatRequest;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.core.wire.proto.WriteChunkRequest;
import dev.grainfs.daemons.testing.MiniCluster;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster run with a cluster key: who may connect, and chunk access tokens on the data path. */
class SecureClusterTest {
    @TempDir
    static Path dir;
    static final ClusterKey key = ClusterKey.random();
    static MiniCluster cluster;
    static GrainClient client;
    static ChunkLocation chunk;
    static final byte[] DATA = "hello, secure world".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder(dir).chunkservers(2).master(m -> m.withReplication(2))
                .security(WireSecurity.of(key)).start();
        client = cluster.client();
        try (GrainFile f = client.create("/f", CreateOptions.defaults())) {
            f.write(0, ByteBuffer.wrap(DATA));
        }
        chunk = client.locations("/f").get(0);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static RpcClient rpc(WireSecurity s) {
        return new RpcClient(Transports.group(1, "probe"), true, 3_000, s);
    }

    static GrainException refused(RpcClient c, HostPort to, Request r) {
        CompletionException e = assertThrows(CompletionException.class, () -> c.call(to, r, 8_000).join().close());
        return GrainException.from(e);
    }

    List<HostPort> daemons() {
        return List.of(cluster.masterAddress(), cluster.chunkServer(0).address(), cluster.chunkServer(1).address());
    }

    @Test
    void keyedClientReadsWhatItWrote() throws Exception {
        try (GrainFile f = client.open("/f", false)) {
            ByteBuffer b = ByteBuffer.allocate(DATA.length);
            assertEquals(DATA.length, f.read(0, b));
            assertEquals(new String(DATA, StandardCharsets.UTF_8), new String(b.array(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void peersWithoutTheKeyOrWithAnotherClustersKeyAreRefusedByEveryDaemon() {
        Request stat = Request.newBuilder().setStat(StatRequest.newBuilder().setPath("/")).build();
        try (RpcClient none = rpc(WireSecurity.NONE); RpcClient other = rpc(WireSecurity.of(ClusterKey.random()))) {
            for (HostPort d : daemons()) {
                GrainException e = refused(none, d, stat);
                assertEquals(StatusCode.EAUTH, e.status(), d + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("requires a cluster key"), e.getMessage());
                GrainException e2 = refused(other, d, stat);
                assertEquals(StatusCode.EAUTH, e2.status(), d + ": " + e2.getMessage());
                assertTrue(e2.getMessage().contains("cluster key rejected by " + d), e2.getMessage());
            }
        }
        GrainClient keyless = cluster.client(c -> c, WireSecurity.NONE);
        GrainException e = assertThrows(GrainException.class, () -> keyless.stat("/"));
        assertEquals(StatusCode.EAUTH, e.status());
        GrainClient foreign = cluster.client(c -> c, WireSecurity.of(ClusterKey.random()));
        assertEquals(StatusCode.EAUTH, assertThrows(GrainException.class, () -> foreign.stat("/")).status());
    }

    static Request read(ByteString token) {
        return Request.newBuilder().setReadChunk(ReadChunkRequest.newBuilder().setHandle(chunk.getHandle())
                .setVersion(chunk.getVersion()).setOffset(0).setLength(DATA.length)).setChunkToken(token).build();
    }

    HostPort replica() {
        return new HostPort(chunk.getReplicas(0).getHost(), chunk.getReplicas(0).getPort());
    }

    @Test
    void chunkReadsNeedAValidUnexpiredTokenForThatChunk() {
        try (RpcClient c = rpc(WireSecurity.of(key))) {
            try (Reply ok = c.call(replica(), read(chunk.getToken()), 5_000).join()) {
                assertEquals(DATA.length, ok.payload().readableBytes());
            }
            for (ByteString bad : List.of(ByteString.EMPTY,
                    ByteString.copyFrom(new byte[ChunkTokens.BYTES]),
                    new ChunkTokens(ClusterKey.random()).mint(chunk.getHandle(), Access.READ),
                    new ChunkTokens(key).mint(chunk.getHandle() + 1, Access.READ),
                    new ChunkTokens(key, -1_000, System::currentTimeMillis).mint(chunk.getHandle(), Access.READ))) {
                GrainException e = refused(c, replica(), read(bad));
                assertEquals(StatusCode.EACCES, e.status(), e.getMessage());
            }
        }
    }

    @Test
    void aReadTokenDoesNotAllowAWrite() throws Exception {
        try (RpcClient c = rpc(WireSecurity.of(key))) {
            Request w = Request.newBuilder().setWriteChunk(WriteChunkRequest.newBuilder().setHandle(chunk.getHandle())
                    .setVersion(chunk.getVersion()).setOffset(0)).setChunkToken(chunk.getToken()).build();
            CompletionException ex = assertThrows(CompletionException.class,
                    () -> c.call(replica(), w, Unpooled.wrappedBuffer(new byte[] {'X'}), 8_000).join().close());
            assertEquals(StatusCode.EACCES, GrainException.from(ex).status());
        }
        keyedClientReadsWhatItWrote(); // unchanged
    }
}
