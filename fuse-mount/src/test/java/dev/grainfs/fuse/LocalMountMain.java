package dev.grainfs.fuse;

import dev.grainfs.core.client.GrainClient;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local cluster (MiniCluster: master + 3 chunkservers on loopback) mounted at a directory, for
 * bench/fuse-bench.sh and for trying the mount by hand. Runs until SIGTERM or until the mount is
 * unmounted.
 *
 * <pre>
 *   java -cp ... dev.grainfs.fuse.LocalMountMain BASE_DIR MOUNTPOINT [-o OPTIONS]
 * </pre>
 * Prints "ready: MASTER MOUNTPOINT" once the mount serves.
 */
public final class LocalMountMain {
    private LocalMountMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalMountMain BASE_DIR MOUNTPOINT [-o OPTIONS]");
            System.exit(2);
        }
        Path base = Path.of(args[0]);
        Path mnt = Path.of(args[1]);
        String opts = args.length >= 4 && args[2].equals("-o") ? args[3] : "";
        Files.createDirectories(base);
        MiniCluster cluster = MiniCluster.builder(base).start();
        GrainClient client = cluster.client(c -> c.withRetryMs(10_000).withCallTimeoutMs(10_000));
        FuseMount mount = FuseMount.mount(client, mnt, MountOptions.parse(opts));
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        System.out.println("ready: " + cluster.masterAddress() + " " + mount.mountpoint());
        System.out.flush();
        mount.awaitUnmount();
    }
}
