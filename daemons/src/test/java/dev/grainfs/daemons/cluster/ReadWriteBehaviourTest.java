package dev.grainfs.daemons.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.wire.proto.ChunkLocation;
import dev.grainfs.daemons.testing.MiniCluster;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrency and failure behaviour of the data path on an in-process cluster. */
class ReadWriteBehaviourTest {
    static final long CHUNK = 4 << 20;
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

    static byte[] sha(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @Test
    void sixteenConcurrentReadersGetIdenticalBytesFromEveryReplica() throws Exception {
        byte[] data = RoundTripTest.random(256 << 20, 16);
        RoundTripTest.put(client, "/shared", data);
        byte[] want = sha(data);
        data = null;
        long[] before = new long[3];
        for (int i = 0; i < 3; i++) {
            before[i] = cluster.chunkServer(i).readsServed();
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<byte[]>> results = new ArrayList<>();
        for (int r = 0; r < 16; r++) {
            results.add(pool.submit(() -> {
                try (GrainClient c = cluster.client(); GrainFile f = c.open("/shared", false)) {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                    long off = 0;
                    int n;
                    while ((n = f.read(off, buf.clear())) > 0) {
                        md.update(buf.array(), 0, n);
                        off += n;
                    }
                    return md.digest();
                }
            }));
        }
        for (Future<byte[]> f : results) {
            assertArrayEquals(want, f.get());
        }
        pool.shutdown();
        for (int i = 0; i < 3; i++) {
            long served = cluster.chunkServer(i).readsServed() - before[i];
            assertTrue(served > 100, "chunkserver " + i + " served only " + served + " reads: reads are not spread");
        }
    }

    @Test
    void eightAppendersTwoThousandRecordsEach() throws Exception {
        client.create("/appends", CreateOptions.defaults()).close();
        int writers = 8;
        int per = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            done.add(pool.submit(() -> {
                try (GrainClient c = cluster.client(); GrainFile f = c.open("/appends", true)) {
                    for (int k = 0; k < per; k++) {
                        f.recordAppend(ByteBuffer.wrap(Records.encode(id, k, 100 + (k * 37) % 4000)));
                    }
                }
                return per;
            }));
        }
        for (Future<Integer> f : done) {
            assertEquals(per, f.get());
        }
        pool.shutdown();
        Set<Long> seen = Records.scan(RoundTripTest.get(client, "/appends"));
        for (int w = 0; w < writers; w++) {
            for (int k = 0; k < per; k++) {
                assertTrue(seen.contains(((long) w << 32) | k), "record " + w + "/" + k + " missing");
            }
        }
    }

    @Test
    void flippedByteOnDiskIsNeverReturnedAndIsReported() throws Exception {
        byte[] data = RoundTripTest.random(3 * (int) CHUNK, 99);
        RoundTripTest.put(client, "/flip", data);
        ChunkLocation first = client.locations("/flip").get(0);
        String victim = first.getReplicas(0).getServerId();
        int idx = -1;
        for (int i = 0; i < 3; i++) {
            if (cluster.chunkServer(i).serverId().equals(victim)) {
                idx = i;
            }
        }
        Path chunkFile;
        try (Stream<Path> s = Files.walk(cluster.dataDir(idx))) {
            String name = String.format("%016x.chunk", first.getHandle());
            chunkFile = s.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(chunkFile.toFile(), "rw")) {
            raf.seek(12345);
            int b = raf.read();
            raf.seek(12345);
            raf.write(b ^ 0x5a);
        }
        // fresh clients (each starts on a random replica) read it until one met the bad replica,
        // failed over and reported it; every one of them must get the right bytes
        long deadline = System.currentTimeMillis() + 60_000;
        for (int k = 0; cluster.master().replicasOf(first.getHandle()).contains(victim); k++) {
            assertTrue(System.currentTimeMillis() < deadline, "the corrupt replica was never reported");
            try (GrainClient c = cluster.client()) {
                assertArrayEquals(data, RoundTripTest.get(c, "/flip"));
            }
            if (k > 8) {
                Thread.sleep(200); // the chunkserver's own report comes with its next heartbeat
            }
        }
        assertTrue(!cluster.master().replicasOf(first.getHandle()).contains(victim),
                "master still lists the corrupt replica on " + victim);
    }

    @Test
    void writerSurvivesAChunkserverDyingMidFile() throws Exception {
        try (MiniCluster c = MiniCluster.builder(dir.resolve("kill")).chunkservers(4)
                .master(m -> m.withChunkSize(CHUNK)).start(); GrainClient cl = c.client()) {
            byte[] data = RoundTripTest.random(40 << 20, 5);
            try (GrainFile f = cl.create("/victim", CreateOptions.defaults())) {
                for (int off = 0; off < data.length; off += 1 << 20) {
                    if (off == 10 << 20) {
                        c.stopChunkServer(1); // dies in the middle of the put
                    }
                    f.write(off, ByteBuffer.wrap(data, off, 1 << 20));
                }
            }
            assertArrayEquals(data, RoundTripTest.get(cl, "/victim"));
            try (GrainClient fresh = c.client()) {
                assertArrayEquals(data, RoundTripTest.get(fresh, "/victim"));
            }
        }
    }
}
