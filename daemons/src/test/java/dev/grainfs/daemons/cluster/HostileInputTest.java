package dev.grainfs.daemons.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Frame;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.io.DataInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed frames, unknown messages and bad paths: a clear error each, no change, no daemon dies. */
class HostileInputTest {
    @TempDir
    static Path dir;
    static MiniCluster cluster;
    static GrainClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1)).start();
        client = cluster.client();
        client.mkdir("/keep", 0755);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    List<HostPort> targets() {
        return List.of(cluster.masterAddress(), cluster.chunkServer(0).address());
    }

    static byte[] frame(int magic, int version, int kind, long id, byte[] header, int payloadLen) {
        ByteBuffer b = ByteBuffer.allocate(Frame.PREFIX_BYTES + header.length);
        b.putShort((short) magic).put((byte) version).put((byte) kind).putLong(id).putInt(header.length)
                .putInt(payloadLen).put(header);
        return b.array();
    }

    /** Sends raw bytes; returns the answer's header if one came, or null when the server hung up. */
    static Response exchange(HostPort to, byte[] bytes) throws IOException {
        try (Socket s = new Socket(to.host(), to.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] prefix = new byte[Frame.PREFIX_BYTES];
            try {
                in.readFully(prefix);
            } catch (IOException closed) {
                return null;
            }
            ByteBuffer p = ByteBuffer.wrap(prefix);
            int headerLen = p.getInt(12);
            byte[] header = new byte[headerLen];
            in.readFully(header);
            return Response.parseFrom(header);
        }
    }

    static boolean hangsUp(HostPort to, byte[] bytes) throws IOException {
        try (Socket s = new Socket(to.host(), to.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(bytes);
            InputStream in = s.getInputStream();
            try {
                return in.read() == -1;
            } catch (IOException reset) {
                return true;
            }
        }
    }

    @Test
    void badMagicVersionKindAndHugeLengthsCloseTheConnection() throws Exception {
        for (HostPort t : targets()) {
            assertTrue(hangsUp(t, frame(0x1234, 1, 1, 1, new byte[0], 0)), "bad magic");
            assertTrue(hangsUp(t, frame(Frame.MAGIC, 9, 1, 1, new byte[0], 0)), "bad version");
            assertTrue(hangsUp(t, frame(Frame.MAGIC, 1, 7, 1, new byte[0], 0)), "bad kind");
            assertTrue(hangsUp(t, frame(Frame.MAGIC, 1, 1, 1, new byte[0], Integer.MAX_VALUE)), "huge payload");
            byte[] hugeHeader = frame(Frame.MAGIC, 1, 1, 1, new byte[0], 0);
            ByteBuffer.wrap(hugeHeader).putInt(12, 1 << 30);
            assertTrue(hangsUp(t, hugeHeader), "huge header");
            assertTrue(hangsUp(t, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()), "http");
        }
        assertAlive();
    }

    @Test
    void truncatedFramesAreDropped() throws Exception {
        for (HostPort t : targets()) {
            byte[] f = frame(Frame.MAGIC, 1, 1, 1, new byte[] {1, 2, 3, 4, 5}, 100);
            for (int cut = 0; cut < f.length; cut++) {
                try (Socket s = new Socket(t.host(), t.port())) {
                    s.getOutputStream().write(f, 0, cut);
                }
            }
        }
        assertAlive();
    }

    @Test
    void malformedHeadersAndUnknownTypesGetBadMessage() throws Exception {
        for (HostPort t : targets()) {
            Response r = exchange(t, frame(Frame.MAGIC, 1, 1, 5, new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}, 0));
            assertEquals(StatusCode.EBADMSG, r.getStatus(), r.toString());
            // field 999, varint: a message type this build does not know
            Response u = exchange(t, frame(Frame.MAGIC, 1, 1, 6, new byte[] {(byte) 0xb8, 0x3e, 0x01}, 0));
            assertEquals(StatusCode.EBADMSG, u.getStatus(), u.toString());
            Response empty = exchange(t, frame(Frame.MAGIC, 1, 1, 7, new byte[0], 0));
            assertEquals(StatusCode.EBADMSG, empty.getStatus());
        }
        assertAlive();
    }

    @Test
    void badPathsAreRefusedAndChangeNothing() throws Exception {
        String[] bad = {"relative", "/a/../b", "/a/./b", "//x", "/keep//x", "/" + "n".repeat(256), "/nul\0x", ""};
        for (String p : bad) {
            GrainException e = assertThrows(GrainException.class, () -> client.mkdir(p, 0755), p);
            assertTrue(List.of(StatusCode.EINVAL, StatusCode.ENAMETOOLONG, StatusCode.ENOENT).contains(e.status()),
                    p + " -> " + e.status());
        }
        assertEquals(StatusCode.ENOENT, assertThrows(GrainException.class, () -> client.delete("/missing", false)).status());
        assertEquals(StatusCode.ENOENT, assertThrows(GrainException.class, () -> client.rename("/missing", "/x")).status());
        assertEquals(StatusCode.ENOENT, assertThrows(GrainException.class, () -> client.open("/missing", false)).status());
        assertEquals(StatusCode.EINVAL, assertThrows(GrainException.class, () -> client.rename("/keep", "/keep/inside")).status());
        assertEquals(List.of("keep"), client.list("/").stream().map(e -> e.name()).filter(n -> !n.startsWith("alive-")).toList());
        assertAlive();
    }

    void assertAlive() throws Exception {
        assertTrue(client.stat("/keep").isDir());
        assertEquals(1, client.statfs().liveServers());
        try (var f = client.create("/alive-" + System.nanoTime(), dev.grainfs.core.client.CreateOptions.defaults())) {
            f.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
    }

}
