package dev.grainfs.daemons.healing;

import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.wire.proto.FsckRequest;
import dev.grainfs.core.wire.proto.FsckResponse;
import dev.grainfs.daemons.cluster.RoundTripTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Helpers of the self-healing tests: files of various sizes, fsck, waiting, chunk files on disk. */
final class Healing {
    private Healing() {
    }

    /** Writes {@code n} files of 0 .. 3.5 chunks under /d; returns path -> content. */
    static Map<String, byte[]> writeFiles(GrainClient c, int n, long chunk, long seed) throws Exception {
        Random r = new Random(seed);
        Map<String, byte[]> files = new LinkedHashMap<>();
        c.mkdirs("/d");
        for (int i = 0; i < n; i++) {
            int size = switch (i % 5) {
                case 0 -> r.nextInt(1000);
                case 1 -> (int) chunk;
                case 2 -> (int) chunk + r.nextInt((int) chunk);
                default -> r.nextInt((int) (chunk * 7 / 2));
            };
            byte[] data = new byte[size];
            r.nextBytes(data);
            put(c, "/d/f" + i, data);
            files.put("/d/f" + i, data);
        }
        return files;
    }

    static void put(GrainClient c, String path, byte[] data) throws Exception {
        RoundTripTest.put(c, path, data);
    }

    /** Every chunk of {@code files} has 3 replicas, none on {@code victim}, and every file reads back. */
    static void assertFullyReplicatedWithout(GrainClient client, Map<String, byte[]> files, String victim)
            throws Exception {
        for (String path : files.keySet()) {
            for (dev.grainfs.core.wire.proto.ChunkLocation l : client.locations(path)) {
                org.junit.jupiter.api.Assertions.assertEquals(3, l.getReplicasCount(), path + " chunk " + l.getIndex());
                org.junit.jupiter.api.Assertions.assertTrue(
                        l.getReplicasList().stream().noneMatch(a -> a.getServerId().equals(victim)));
            }
        }
        for (var e : files.entrySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue(), get(client, e.getKey()), e.getKey());
        }
    }

    static byte[] get(GrainClient c, String path) throws Exception {
        return RoundTripTest.get(c, path);
    }

    static FsckResponse fsck(GrainClient c) throws Exception {
        return c.fsck(FsckRequest.newBuilder().setPath("/").build());
    }

    static FsckResponse fsckChunks(GrainClient c) throws Exception {
        return c.fsck(FsckRequest.newBuilder().setPath("/").setFiles(true).setChunks(true).setLocations(true).build());
    }

    /** Polls until {@code ok}; returns the ms it took; throws after {@code timeoutMs}. */
    static long await(String what, long timeoutMs, BooleanSupplier ok) {
        long t0 = System.currentTimeMillis();
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() - t0 > timeoutMs) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            sleep(50);
        }
        return System.currentTimeMillis() - t0;
    }

    static boolean healthy(GrainClient c) {
        try {
            return fsck(c).getHealthy();
        } catch (Exception e) {
            return false;
        }
    }

    /** HEALTHY and no extra replica left either (over-replication alone leaves fsck HEALTHY). */
    static boolean exactlyReplicated(GrainClient c) {
        try {
            FsckResponse r = fsck(c);
            return r.getHealthy() && r.getOverReplicated() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    /** The data file of a chunk replica under a chunkserver's data dir, or null. */
    static Path chunkFile(Path dataDir, long handle) {
        Path p = dataDir.resolve("chunks").resolve(String.format("%02x", handle & 0xff))
                .resolve(String.format("%016x.chunk", handle));
        return Files.exists(p) ? p : null;
    }

    /** Every chunk data file under a data dir. */
    static List<Path> chunkFiles(Path dataDir) throws IOException {
        if (!Files.exists(dataDir.resolve("chunks"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dataDir.resolve("chunks"))) {
            return s.filter(p -> p.toString().endsWith(".chunk")).toList();
        }
    }
}
