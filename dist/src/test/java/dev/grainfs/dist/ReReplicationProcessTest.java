package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.proto.ChunkLocation;
import dev.grainfs.core.wire.proto.FsckRequest;
import dev.grainfs.core.wire.proto.FsckResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four chunkserver processes, 50 files (more for large runs) at replication 3; one chunkserver SIGKILLed:
 * within dead-after plus a bounded repair time every chunk has 3 live replicas again, `grainfs fsck` says
 * HEALTHY (and failed while it was not), and every file reads back identical. Prints the repair rate
 * beside this machine's disk write throughput (dd, in the data dirs' file system) and loopback TCP
 * throughput, measured in the same run. Properties (docs/benchmarks.md, "Re-replication"):
 * grainfs.rerep.mib (data written, default 200 MiB), grainfs.rerep.copyBandwidth (each chunkserver's
 * --copy-bandwidth, default 0 = unbounded) and grainfs.rerep.maxCopies (--max-copies of the chunkservers
 * and --max-copies-per-server of the master, default 4, the product default).
 */
class ReReplicationProcessTest {
    @TempDir
    Path dir;

    @Test
    void sigkilledChunkserverIsRepairedAndFsckTurnsHealthy() throws Exception {
        long totalMiB = Long.getLong("grainfs.rerep.mib", 200);
        String copyBandwidth = System.getProperty("grainfs.rerep.copyBandwidth", "0");
        String maxCopies = System.getProperty("grainfs.rerep.maxCopies", "4");
        int files = (int) Math.max(50, totalMiB / 48);
        double diskMiBps = MachineThroughput.ddWrite(dir, "conv=fsync");
        double directMiBps = MachineThroughput.ddWrite(dir, "oflag=direct");
        double loopbackMiBps = MachineThroughput.loopback(4L << 30);
        List<GrainfsProcess> cs = new ArrayList<>();
        try (GrainfsProcess m = GrainfsProcess.daemon(dir.resolve("m.log"), "master", "--meta-dir",
                dir.resolve("meta").toString(), "--port", "0", "--chunk-size", "8m", "--heartbeat", "500ms",
                "--dead-after", "3", "--lease", "5", "--replication-scan", "200ms",
                "--max-copies-per-server", maxCopies)) {
            for (int i = 0; i < 4; i++) {
                cs.add(GrainfsProcess.daemon(dir.resolve("cs" + i + ".log"), "chunkserver", "--master", m.address(),
                        "--data-dir", dir.resolve("cs" + i).toString(), "--port", "0", "--heartbeat", "500ms",
                        "--copy-bandwidth", copyBandwidth, "--max-copies", maxCopies));
            }
            try (GrainClient client = GrainClient.connect(HostPort.parse(m.address()))) {
                await(20_000, () -> fsck(client).getLiveServers() == 4);
                Map<String, byte[]> sums = new LinkedHashMap<>();
                Random r = new Random(11);
                long per = (totalMiB << 20) / files;
                byte[] buf = new byte[(int) Math.min(per * 2, 64L << 20)];
                client.mkdirs("/d");
                long written = 0;
                for (int i = 0; i < files; i++) {
                    int size = (int) Math.min(buf.length, i % 2 == 0 ? per / 2 + r.nextInt((int) per) : per);
                    r.nextBytes(buf);
                    try (GrainFile f = client.create("/d/f" + i, CreateOptions.defaults())) {
                        f.write(0, ByteBuffer.wrap(buf, 0, size));
                    }
                    sums.put("/d/f" + i, MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(buf, size)));
                    written += size;
                }
                await(30_000, () -> fsck(client).getHealthy());
                GrainfsProcess.Result before = GrainfsProcess.run("--master", m.address(), "fsck", "--json");
                assertEquals(0, before.exit(), before.out() + before.err());
                // bytes the victim holds = what has to be copied again
                Map<String, Long> sizes = new LinkedHashMap<>();
                String victimId = null;
                long onVictim = 0;
                for (String p : sums.keySet()) {
                    long size = client.stat(p).size();
                    for (ChunkLocation l : client.locations(p)) {
                        if (victimId == null) {
                            victimId = l.getReplicas(0).getServerId();
                        }
                    }
                    sizes.put(p, size);
                }
                int victim = -1;
                for (int i = 0; i < 4 && victim < 0; i++) {
                    if (java.nio.file.Files.readString(dir.resolve("cs" + i).resolve("server-id")).trim().equals(victimId)) {
                        victim = i;
                    }
                }
                for (String p : sums.keySet()) {
                    for (ChunkLocation l : client.locations(p)) {
                        String id = victimId;
                        if (l.getReplicasList().stream().anyMatch(a -> a.getServerId().equals(id))) {
                            onVictim += Math.min(8L << 20, sizes.get(p) - l.getIndex() * (8L << 20));
                        }
                    }
                }
                // safe mode holds repairs, so the one-shot fsck below surely sees the cluster sick (a
                // loaded machine may otherwise finish the repair before that JVM has started)
                GrainfsProcess.Result hold = GrainfsProcess.run("--master", m.address(), "safemode", "enter");
                assertEquals(0, hold.exit(), hold.out() + hold.err());
                long kill = System.currentTimeMillis();
                cs.get(victim).kill9();
                await(15_000, () -> fsck(client).getUnderReplicated() > 0);
                long detected = System.currentTimeMillis();
                GrainfsProcess.Result sick = GrainfsProcess.run("--master", m.address(), "fsck");
                assertNotEquals(0, sick.exit(), sick.out());
                GrainfsProcess.Result release = GrainfsProcess.run("--master", m.address(), "safemode", "leave");
                assertEquals(0, release.exit(), release.out() + release.err());
                long dead = System.currentTimeMillis();
                long repairBound = Math.max(120_000, (onVictim >> 20) * 1000 / 2); // at least 2 MiB/s
                await(repairBound, () -> fsck(client).getHealthy());
                long healthy = System.currentTimeMillis();
                GrainfsProcess.Result ok = GrainfsProcess.run("--master", m.address(), "fsck");
                assertEquals(0, ok.exit(), ok.out() + ok.err());
                assertTrue(ok.out().contains("Status: HEALTHY"), ok.out());
                for (String p : sums.keySet()) {
                    for (ChunkLocation l : client.locations(p)) {
                        assertEquals(3, l.getReplicasCount(), p);
                    }
                    try (GrainFile f = client.open(p, false)) {
                        byte[] back = new byte[(int) f.size()];
                        ByteBuffer b = ByteBuffer.wrap(back);
                        while (b.hasRemaining() && f.read(b.position(), b) >= 0) {
                            // read on
                        }
                        assertArrayEquals(sums.get(p), MessageDigest.getInstance("SHA-256").digest(back), p);
                    }
                }
                double secs = (healthy - dead) / 1000.0;
                double rate = (onVictim / 1048576.0) / secs;
                System.out.printf("RE-REPLICATION: %d MiB written in %d files, %d MiB on the killed server; detected dead "
                                + "after %d ms; repaired in %.1f s = %.1f MiB/s (repairs held in safe mode until then); "
                                + "copy-bandwidth %s, max-copies %s%n", written >> 20, files, onVictim >> 20,
                        detected - kill, secs, rate, copyBandwidth, maxCopies);
                System.out.printf("RE-REPLICATION: this machine: disk write %.0f MiB/s (dd conv=fsync), %.0f MiB/s "
                                + "(dd oflag=direct), loopback TCP %.0f MiB/s; repair rate %.1f MiB/s = %.1f%% of disk "
                                + "(conv=fsync), %.1f%% of loopback%n", diskMiBps, directMiBps, loopbackMiBps, rate,
                        100 * rate / diskMiBps, 100 * rate / loopbackMiBps);
            }
        } finally {
            for (GrainfsProcess p : cs) {
                p.close();
            }
        }
    }

    static FsckResponse fsck(GrainClient c) {
        try {
            return c.fsck(FsckRequest.newBuilder().setPath("/").build());
        } catch (Exception e) {
            return FsckResponse.getDefaultInstance();
        }
    }

    static void await(long timeoutMs, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long t0 = System.currentTimeMillis();
        while (!ok.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() - t0 < timeoutMs, "timed out after " + timeoutMs + " ms");
            Thread.sleep(100);
        }
    }
}
