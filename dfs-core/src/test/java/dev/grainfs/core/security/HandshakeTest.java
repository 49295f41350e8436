package dev.grainfs.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.RpcServer;
import dev.grainfs.core.wire.Transports;
import dev.grainfs.core.wire.proto.StatusCode;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The cluster-key handshake between RpcClient and RpcServer, and what a raw socket gets. */
class HandshakeTest {
    final ClusterKey key = ClusterKey.random();

    static GrainException failure(RpcClient c, HostPort a) {
        try (Reply r = c.call(a, Wire.stat("/"), 8_000).join()) {
            throw new AssertionError("call succeeded: " + r.response());
        } catch (CompletionException e) {
            return GrainException.from(e);
        }
    }

    static RpcClient client(WireSecurity s) {
        return new RpcClient(Transports.group(1, "test"), true, 3_000, s);
    }

    @Test
    void sameKeyTalksAndPayloadSurvives() throws Exception {
        try (RpcServer s = Wire.echoServer(WireSecurity.of(key)); RpcClient c = client(WireSecurity.of(key))) {
            HostPort a = s.start("127.0.0.1", 0);
            for (int i = 0; i < 3; i++) {
                try (Reply r = c.call(a, Wire.stat("/"), Wire.payload(new byte[] {1, 2, 3}), 5_000).join()) {
                    assertEquals(3, r.payload().readableBytes());
                }
            }
        }
    }

    @Test
    void clientWithoutKeyIsRefusedWithAClearError() throws Exception {
        try (RpcServer s = Wire.echoServer(WireSecurity.of(key)); RpcClient c = client(WireSecurity.NONE)) {
            HostPort a = s.start("127.0.0.1", 0);
            GrainException e = failure(c, a);
            assertEquals(StatusCode.EAUTH, e.status(), e.getMessage());
            assertTrue(e.getMessage().contains(a + " requires a cluster key"), e.getMessage());
        }
    }

    @Test
    void clientWithAnotherClustersKeyIsRefused() throws Exception {
        try (RpcServer s = Wire.echoServer(WireSecurity.of(key));
             RpcClient c = client(WireSecurity.of(ClusterKey.random()))) {
            HostPort a = s.start("127.0.0.1", 0);
            GrainException e = failure(c, a);
            assertEquals(StatusCode.EAUTH, e.status(), e.getMessage());
            assertTrue(e.getMessage().contains("cluster key rejected by " + a), e.getMessage());
        }
    }

    @Test
    void keyedClientRefusesAServerWithoutKey() throws Exception {
        try (RpcServer s = Wire.echoServer(WireSecurity.NONE); RpcClient c = client(WireSecurity.of(key))) {
            HostPort a = s.start("127.0.0.1", 0);
            GrainException e = failure(c, a);
            assertEquals(StatusCode.EAUTH, e.status(), e.getMessage());
            assertTrue(e.getMessage().contains("no cluster-key handshake from " + a), e.getMessage());
        }
    }

    @Test
    void rawSocketGetsOnlyTheChallengeNeverAnAnswer() throws Exception {
        try (RpcServer s = Wire.echoServer(WireSecurity.of(key))) {
            HostPort a = s.start("127.0.0.1", 0);
            byte[] got = Wire.sendAndCollect(a, Wire.plainFrame());
            assertEquals(HandshakeHandler.HELLO_BYTES, got.length, "the HELLO, then the server hangs up");
            assertEquals('G', got[0]);
            assertEquals('H', got[2]);
            // a proof made with the wrong key: refused with one 0 byte
            byte[] proof = new byte[HandshakeHandler.PROOF_BYTES];
            System.arraycopy(HandshakeHandler.MAGIC, 0, proof, 0, 4);
            byte[] got2 = Wire.sendAndCollect(a, proof);
            assertEquals(HandshakeHandler.HELLO_BYTES + 1, got2.length);
            assertEquals(0, got2[HandshakeHandler.HELLO_BYTES]);
        }
    }

    @Test
    void keylessClusterStillWorks() throws Exception {
        try (RpcServer s = Wire.echoServer(WireSecurity.NONE); RpcClient c = client(WireSecurity.NONE)) {
            HostPort a = s.start("127.0.0.1", 0);
            try (Reply r = c.call(a, Wire.stat("/"), 5_000).join()) {
                assertFalse(r.response().hasAttr());
            }
        }
    }
}
