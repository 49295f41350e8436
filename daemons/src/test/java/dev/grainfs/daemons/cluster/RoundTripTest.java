package dev.grainfs.daemons.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files of awkward sizes written and read back through the client library on a 3-server cluster. */
public class RoundTripTest {
    static final long CHUNK = 1 << 20;
    @TempDir
    static Path dir;
    static MiniCluster cluster;
    static GrainClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder(dir).master(m -> m.withChunkSize(CHUNK)).start();
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static void put(GrainClient c, String path, byte[] data) throws Exception {
        try (GrainFile f = c.create(path, CreateOptions.defaults())) {
            f.write(0, ByteBuffer.wrap(data));
        }
    }

    public static byte[] get(GrainClient c, String path) throws Exception {
        try (GrainFile f = c.open(path, false)) {
            byte[] out = new byte[(int) f.size()];
            ByteBuffer b = ByteBuffer.wrap(out);
            while (b.hasRemaining()) {
                if (f.read(b.position(), b) < 0) {
                    break;
                }
            }
            return out;
        }
    }

    @Test
    void awkwardSizesRoundTrip() throws Exception {
        int[] sizes = {0, 1, (int) CHUNK - 1, (int) CHUNK, (int) CHUNK + 1, 3 * (int) CHUNK + 12345};
        for (int s : sizes) {
            byte[] data = random(s, s);
            put(client, "/f" + s, data);
            assertArrayEquals(data, get(client, "/f" + s), "size " + s);
            FileStat st = client.stat("/f" + s);
            assertEquals(s, st.size());
            assertEquals((s + CHUNK - 1) / CHUNK, st.chunkCount());
            assertEquals(3, st.replication());
        }
    }

    @Test
    void oneGibFileRoundTrips() throws Exception {
        java.security.MessageDigest in = java.security.MessageDigest.getInstance("SHA-256");
        java.security.MessageDigest out = java.security.MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[4 << 20];
        Random r = new Random(1024);
        long size = 1L << 30;
        try (GrainFile f = client.create("/gib", CreateOptions.defaults().withChunkSize(64 << 20))) {
            for (long off = 0; off < size; off += block.length) {
                r.nextBytes(block);
                in.update(block);
                f.write(off, ByteBuffer.wrap(block));
            }
        }
        assertEquals(size, client.stat("/gib").size());
        assertEquals(16, client.stat("/gib").chunkCount());
        try (GrainFile f = client.open("/gib", false)) {
            ByteBuffer b = ByteBuffer.wrap(block);
            long off = 0;
            int n;
            while ((n = f.read(off, b.clear())) > 0) {
                out.update(block, 0, n);
                off += n;
            }
            assertEquals(size, off);
        }
        assertArrayEquals(in.digest(), out.digest());
        client.delete("/gib", false);
    }

    @Test
    void everyChunkHasThreeReplicasOnDisk() throws Exception {
        put(client, "/three", random(5 * (int) CHUNK, 7));
        long chunks = client.stat("/three").chunkCount();
        long files = 0;
        for (int i = 0; i < 3; i++) {
            try (Stream<Path> s = Files.walk(cluster.dataDir(i))) {
                files += s.filter(p -> p.toString().endsWith(".chunk")).count();
            }
        }
        assertEquals(5, chunks);
        org.junit.jupiter.api.Assertions.assertTrue(files >= 15, "expected >= 15 chunk files, saw " + files);
    }

    @Test
    void overwriteMiddleAndHoles() throws Exception {
        byte[] data = random(3 * (int) CHUNK, 3);
        put(client, "/mid", data);
        byte[] patch = random(100_000, 4);
        try (GrainFile f = client.open("/mid", true)) {
            f.write(CHUNK - 50_000, ByteBuffer.wrap(patch));
            f.write(5 * CHUNK, ByteBuffer.wrap(new byte[] {9}));
        }
        System.arraycopy(patch, 0, data, (int) CHUNK - 50_000, patch.length);
        byte[] back = get(client, "/mid");
        assertEquals(5 * CHUNK + 1, back.length);
        for (int i = 0; i < data.length; i++) {
            if (back[i] != data[i]) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
        for (int i = data.length; i < 5 * CHUNK; i++) {
            if (back[i] != 0) {
                throw new AssertionError("hole byte " + i + " is " + back[i]);
            }
        }
        assertEquals(9, back[(int) (5 * CHUNK)]);
    }

    @Test
    void truncateCutsAndExtendsWithZeros() throws Exception {
        byte[] data = random(2 * (int) CHUNK + 500, 5);
        put(client, "/tr", data);
        client.truncate("/tr", CHUNK + 10);
        client.truncate("/tr", 2 * CHUNK);
        byte[] back = get(client, "/tr");
        assertEquals(2 * CHUNK, back.length);
        for (int i = 0; i < CHUNK + 10; i++) {
            assertEquals(data[i], back[i]);
        }
        for (int i = (int) CHUNK + 10; i < back.length; i++) {
            assertEquals(0, back[i], "byte " + i);
        }
    }

    @Test
    void namespaceErrors() throws Exception {
        client.mkdir("/d", 0755);
        assertEquals(StatusCode.EEXIST, assertThrows(GrainException.class, () -> client.mkdir("/d", 0755)).status());
        assertEquals(StatusCode.ENOENT, assertThrows(GrainException.class, () -> client.stat("/nope")).status());
        assertEquals(StatusCode.EINVAL, assertThrows(GrainException.class, () -> client.stat("/d/../x")).status());
        assertEquals(StatusCode.EINVAL, assertThrows(GrainException.class, () -> client.mkdir("/a//b", 0755)).status());
        assertEquals(StatusCode.ENAMETOOLONG,
                assertThrows(GrainException.class, () -> client.mkdir("/" + "x".repeat(256), 0755)).status());
        put(client, "/d/file", new byte[10]);
        assertEquals(StatusCode.ENOTEMPTY, assertThrows(GrainException.class, () -> client.delete("/d", false)).status());
        assertEquals(StatusCode.ENOTDIR, assertThrows(GrainException.class, () -> client.stat("/d/file/x")).status());
        client.rename("/d/file", "/d/file2");
        assertEquals(10, client.stat("/d/file2").size());
        client.delete("/d", true);
        assertEquals(StatusCode.ENOENT, assertThrows(GrainException.class, () -> client.stat("/d/file2")).status());
    }

    @Test
    void recordAppendsFromConcurrentClients() throws Exception {
        client.create("/log", CreateOptions.defaults()).close();
        int writers = 4;
        int per = 300;
        Thread[] ts = new Thread[writers];
        Throwable[] errors = new Throwable[1];
        for (int w = 0; w < writers; w++) {
            int id = w;
            ts[w] = new Thread(() -> {
                try (GrainClient c = cluster.client(); GrainFile f = c.open("/log", true)) {
                    for (int k = 0; k < per; k++) {
                        f.recordAppend(ByteBuffer.wrap(Records.encode(id, k, 1000 + (k % 7) * 3000)));
                    }
                } catch (Throwable t) {
                    errors[0] = t;
                }
            });
            ts[w].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        if (errors[0] != null) {
            throw new AssertionError(errors[0]);
        }
        byte[] all = get(client, "/log");
        java.util.Set<Long> seen = Records.scan(all);
        for (int w = 0; w < writers; w++) {
            for (int k = 0; k < per; k++) {
                org.junit.jupiter.api.Assertions.assertTrue(seen.contains(((long) w << 32) | k), "missing " + w + "/" + k);
            }
        }
    }
}
