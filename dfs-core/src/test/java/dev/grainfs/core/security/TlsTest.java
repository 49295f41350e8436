package dev.grainfs.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.RpcServer;
import dev.grainfs.core.wire.proto.StatusCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a cluster CA (mutual): plain-text peers are refused and no payload byte crosses in clear. */
class TlsTest {
    static final byte[] SECRET = "SECRET-FILE-BYTES-0123456789-abcdefghij".getBytes(StandardCharsets.US_ASCII);
    @TempDir
    static Path dir;
    static TestCerts certs;
    static final ClusterKey key = ClusterKey.random();

    @BeforeAll
    static void certs() throws Exception {
        certs = TestCerts.make(dir);
    }

    static byte[] roundTripThroughTap(WireSecurity s) throws Exception {
        try (RpcServer server = Wire.echoServer(s); RpcClient c = HandshakeTest.client(s)) {
            HostPort a = server.start("127.0.0.1", 0);
            try (TapRelay tap = new TapRelay(a)) {
                byte[] data = new byte[64 << 10];
                for (int i = 0; i + SECRET.length <= data.length; i += SECRET.length) {
                    System.arraycopy(SECRET, 0, data, i, SECRET.length);
                }
                try (Reply r = c.call(tap.address(), Wire.stat("/secret/path"), Wire.payload(data), 10_000).join()) {
                    assertEquals(data.length, r.payload().readableBytes());
                }
                Thread.sleep(200);
                return tap.seen();
            }
        }
    }

    @Test
    void withTlsTheWireShowsNoFileBytesOrPaths() throws Exception {
        byte[] seen = roundTripThroughTap(WireSecurity.of(key, certs.files()));
        assertTrue(seen.length > 64 << 10, "the relay saw the exchange");
        assertFalse(TapRelay.contains(seen, SECRET), "file bytes in clear on the wire");
        assertFalse(TapRelay.contains(seen, "/secret/path".getBytes(StandardCharsets.US_ASCII)), "path in clear");
    }

    @Test
    void withoutTlsTheSameCaptureShowsThem() throws Exception {
        byte[] seen = roundTripThroughTap(WireSecurity.of(key));
        assertTrue(TapRelay.contains(seen, SECRET), "control: the tap does see plain text");
    }

    @Test
    void plainTextClientsAreRefused() throws Exception {
        try (RpcServer server = Wire.echoServer(WireSecurity.of(key, certs.files()))) {
            HostPort a = server.start("127.0.0.1", 0);
            for (WireSecurity plain : new WireSecurity[] {WireSecurity.NONE, WireSecurity.of(key)}) {
                try (RpcClient c = HandshakeTest.client(plain)) {
                    GrainException e = HandshakeTest.failure(c, a);
                    assertTrue(e.status() == StatusCode.EAUTH || e.status() == StatusCode.EIO, e.toString());
                }
            }
            byte[] got = Wire.sendAndCollect(a, Wire.plainFrame());
            assertTrue(got.length < 2 || got[0] != (byte) 0x47 || got[1] != (byte) 0x46, "a raw frame gets no frame back");
        }
    }

    @Test
    void clientWithoutACertificateIsRefusedByAMutualTlsServer() throws Exception {
        try (RpcServer server = Wire.echoServer(WireSecurity.of(key, certs.files()));
             RpcClient c = HandshakeTest.client(WireSecurity.of(key, new TlsFiles(null, null, certs.ca())))) {
            HostPort a = server.start("127.0.0.1", 0);
            GrainException e = HandshakeTest.failure(c, a);
            assertTrue(e.status() == StatusCode.EAUTH || e.status() == StatusCode.EIO, e.toString());
        }
    }
}
