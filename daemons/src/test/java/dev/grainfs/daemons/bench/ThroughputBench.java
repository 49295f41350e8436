package dev.grainfs.daemons.bench;

import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Sequential write and read MiB/s through the client library at replication 3 on one machine,
 * beside the local disk in the same run. Run: bench/client-throughput.sh [SIZE_MIB] [BASE_DIR]
 */
public final class ThroughputBench {
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        Path base = Path.of(args.length > 1 ? args[1] : "target/bench-" + System.nanoTime());
        Files.createDirectories(base);
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);

        double diskW = localWrite(base.resolve("local.bin"), block, mib);
        double diskR = localRead(base.resolve("local.bin"), mib);
        Files.delete(base.resolve("local.bin"));

        try (MiniCluster c = MiniCluster.builder(base.resolve("cluster")).start(); GrainClient client = c.client(cc -> new dev.grainfs.core.client.ClientConfig(cc.masters(), cc.caller(),
                     Integer.getInteger("packet", 1 << 20), Integer.getInteger("window", 16), Integer.getInteger("piece", 1 << 20),
                     Integer.getInteger("ahead", 8), 30_000, 30_000))) {
            // warm up the JIT on a small file first
            write(client, "/warm", block, 64);
            read(client, "/warm", 64);
            double w = write(client, "/big", block, mib);
            double r = read(client, "/big", mib);
            System.out.printf("%-34s %10s %10s%n", "", "write MiB/s", "read MiB/s");
            System.out.printf("%-34s %10.0f %10.0f%n", "local disk (1 MiB blocks, fsync)", diskW, diskR);
            System.out.printf("%-34s %10.0f %10.0f%n", "GrainFS client, replication 3", w, r);
            System.out.printf("%-34s %10.2f %10.2f%n", "ratio GrainFS / local", w / diskW, r / diskR);
        }
    }

    static double write(GrainClient client, String path, byte[] block, int mib) throws Exception {
        long t0 = System.nanoTime();
        try (GrainFile f = client.create(path, CreateOptions.defaults().withReplication(Integer.getInteger("repl", 3)))) {
            for (long i = 0; i < mib; i++) {
                f.write(i << 20, ByteBuffer.wrap(block));
            }
            f.fsync();
        }
        return mib / ((System.nanoTime() - t0) / 1e9);
    }

    static double read(GrainClient client, String path, int mib) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long t0 = System.nanoTime();
        long total = 0;
        try (GrainFile f = client.open(path, false)) {
            while (true) {
                buf.clear();
                int n = f.read(total, buf);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        }
        if (total != (long) mib << 20) {
            throw new IllegalStateException("read " + total + " bytes, expected " + ((long) mib << 20));
        }
        return mib / ((System.nanoTime() - t0) / 1e9);
    }

    static double localWrite(Path p, byte[] block, int mib) throws Exception {
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < mib; i++) {
                ch.write(ByteBuffer.wrap(block));
            }
            ch.force(true);
        }
        return mib / ((System.nanoTime() - t0) / 1e9);
    }

    static double localRead(Path p, int mib) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(p)) {
            while (ch.read(buf) > 0) {
                buf.clear();
            }
        }
        return mib / ((System.nanoTime() - t0) / 1e9);
    }
}
