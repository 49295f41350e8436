package dev.grainfs.dist;

import dev.grainfs.core.client.GrainClient;
import dev.grainfs.fuse.FuseMount;
import dev.grainfs.fuse.MountOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "mount", description = "Mount the cluster as a local directory (FUSE); SIGTERM or fusermount -u unmounts.",
        footer = {"", "Examples:", "  grainfs mount /mnt/grainfs",
                "  grainfs --master 10.0.0.1:9500 mount /mnt/grainfs -o allow_other,ro",
                "  grainfs mount --cluster-key /etc/grainfs/cluster.key /mnt/grainfs"})
final class MountCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--master", paramLabel = "HOST:PORT[,HOST:PORT]", description = "master address(es)")
    String master;
    @Option(names = "-o", paramLabel = "OPTIONS", description = "mount options: allow_other, ro, big_writes, "
            + "max_write=N, max_read=N, attr_timeout=S, entry_timeout=S (see docs/mount.md)")
    String options = "";
    @Option(names = "--metrics-port", paramLabel = "[HOST:]PORT", description = "serve Prometheus /metrics "
            + "there (PORT alone: every interface; 0 = any free port); off by default; also -o metrics_port=PORT")
    String metricsPort;
    @Option(names = "--foreground", description = "accepted for compatibility: grainfs mount always stays in the foreground")
    boolean foreground;
    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountpoint;
    @picocli.CommandLine.Mixin
    ClientSecurityOptions security = new ClientSecurityOptions();

    static final long MOUNT_RETRY_MS = 60_000;

    @Override
    public Integer call() throws Exception {
        Daemons.logInfo();
        MountOptions opts;
        try {
            opts = MountOptions.parse(options);
            if (metricsPort != null) {
                opts = opts.withMetrics(MountOptions.metricsAddress(metricsPort));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // a mount rides out a master failover (a manual one takes about 10 s): its calls retry for a
        // minute before a program sees EIO, where one-shot commands give up after 10 s
        GrainClient client = GrainClient.connect(Main.clientConfig(master != null ? master : parent.master)
                        .withRetryMs(MOUNT_RETRY_MS),
                security.resolveOver(parent));
        if (!ClientSecurityOptions.admitted(client)) {
            client.close();
            return 2;
        }
        FuseMount mount;
        try {
            mount = FuseMount.mount(client, mountpoint, opts);
        } catch (java.io.IOException e) {
            client.close();
            System.err.println("grainfs mount: " + e.getMessage());
            return 1;
        }
        Daemons.announce("mounted " + client.master() + " on " + mount.mountpoint());
        if (mount.metricsAddress() != null) {
            Daemons.announce("metrics on " + mount.metricsAddress());
        }
        Thread waiter = new Thread(() -> {
            try {
                mount.awaitUnmount(); // fusermount -u ends the FUSE loop
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            Daemons.wake();
        }, "grainfs-mount-wait");
        waiter.setDaemon(true);
        waiter.start();
        Daemons.runUntilStopped(() -> {
            mount.close();
            client.close();
        });
        return 0;
    }
}
