package dev.grainfs.fuse;

import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.id.HostPort;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client library alone, without FUSE, on the same cluster as the mount: the baseline column
 * of bench/fuse-bench.sh, so the mount's own overhead can be told from the cluster's.
 * Prints "name value unit" lines like bench/fuse_meta.py.
 *
 * <pre>  java -cp ... dev.grainfs.fuse.ClientBaseline MASTER DIR SIZE_MIB FILES</pre>
 */
public final class ClientBaseline {
    private ClientBaseline() {
    }

    public static void main(String[] args) throws Exception {
        HostPort master = HostPort.parse(args[0]);
        String dir = args[1];
        long size = Long.parseLong(args[2]) << 20;
        int files = Integer.parseInt(args[3]);
        try (GrainClient c = GrainClient.connect(master)) {
            c.mkdirs(dir);
            ByteBuffer mib = ByteBuffer.allocateDirect(1 << 20);
            long t = System.nanoTime();
            try (GrainFile f = c.create(dir + "/big", CreateOptions.defaults())) {
                for (long off = 0; off < size; off += mib.capacity()) {
                    f.write(off, mib.clear());
                }
                f.fsync();
            }
            print("seq_write", size / 1048576.0 / secs(t), "MiB/s");
            t = System.nanoTime();
            try (GrainFile f = c.open(dir + "/big", false)) {
                for (long off = 0; off < size; off += mib.capacity()) {
                    f.read(off, mib.clear());
                }
            }
            print("seq_read", size / 1048576.0 / secs(t), "MiB/s");
            ByteBuffer page = ByteBuffer.allocateDirect(4096);
            int reads = 0;
            t = System.nanoTime();
            try (GrainFile f = c.open(dir + "/big", false)) {
                while (System.nanoTime() - t < 10_000_000_000L) {
                    f.read(ThreadLocalRandom.current().nextLong(size / 4096) * 4096, page.clear());
                    reads++;
                }
            }
            print("rand_read_4k", reads / secs(t), "IOPS");
            c.delete(dir + "/big", false);

            ByteBuffer kib = ByteBuffer.allocate(1024);
            c.mkdirs(dir + "/files");
            t = System.nanoTime();
            for (int i = 0; i < files; i++) {
                try (GrainFile f = c.create(dir + "/files/f" + i, CreateOptions.defaults().exclusive(true))) {
                    f.write(0, kib.clear());
                }
            }
            print("create_1k", files / secs(t), "ops/s");
            c.mkdirs(dir + "/empty");
            t = System.nanoTime();
            for (int i = 0; i < files; i++) {
                c.create(dir + "/empty/e" + i, CreateOptions.defaults().exclusive(true)).close();
            }
            print("create_empty", files / secs(t), "ops/s");
            t = System.nanoTime();
            for (int i = 0; i < files; i++) {
                c.lstat(dir + "/files/f" + i);
            }
            print("stat_cold", files / secs(t), "ops/s");
            t = System.nanoTime();
            c.list(dir + "/files");
            print("ls_l_ms", secs(t) * 1000, "ms");
            t = System.nanoTime();
            for (int i = 0; i < files; i++) {
                c.delete(dir + "/files/f" + i, false);
            }
            print("unlink", files / secs(t), "ops/s");
            c.delete(dir, true);
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void print(String name, double v, String unit) {
        System.out.printf("%s %.0f %s%n", name, v, unit);
        System.out.flush();
    }
}
