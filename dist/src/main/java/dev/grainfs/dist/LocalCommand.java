package dev.grainfs.dist;

import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.daemons.chunkserver.ChunkServer;
import dev.grainfs.daemons.chunkserver.ChunkServerConfig;
import dev.grainfs.daemons.master.Master;
import dev.grainfs.daemons.master.MasterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "local", description = "Run a whole cluster on this machine: a master and N chunkservers on loopback.",
        footer = {"", "Examples:", "  grainfs local", "  grainfs local --no-mount --no-shell --chunkservers 4"})
final class LocalCommand implements Callable<Integer> {
    @Option(names = "--base-dir", description = "where data goes; default ${DEFAULT-VALUE}")
    Path baseDir = Path.of("grainfs-local");
    @Option(names = "--chunkservers", description = "how many chunkservers; default ${DEFAULT-VALUE}")
    int chunkservers = 3;
    @Option(names = "--port", description = "master port (0 = any free port); default ${DEFAULT-VALUE}")
    int port = MasterConfig.DEFAULT_PORT;
    @Option(names = "--mount", description = "mount point; default BASE-DIR/mnt")
    Path mount;
    @Option(names = "--no-mount", description = "do not mount the cluster")
    boolean noMount;
    @Option(names = "--no-shell", description = "no shell: run until SIGTERM")
    boolean noShell;
    @Option(names = "--http-port", description = "master status page and /metrics port (0 = any; -1 = off); default ${DEFAULT-VALUE}")
    int httpPort = -1;
    @Option(names = "--chunk-size", description = "default chunk size; default ${DEFAULT-VALUE}")
    String chunkSize = "64m";
    @picocli.CommandLine.Mixin
    SecurityOptions security = new SecurityOptions();

    @Override
    public Integer call() throws Exception {
        if (noShell) {
            Daemons.logInfo();
        }
        if (chunkservers < 1) {
            throw new IllegalArgumentException("--chunkservers must be at least 1");
        }
        dev.grainfs.core.security.WireSecurity sec = security.resolve();
        Path base = baseDir.toAbsolutePath();
        Files.createDirectories(base);
        Master master = Master.open(MasterConfig.defaults(base.resolve("master")).withPort(port)
                .withChunkSize(dev.grainfs.shell.Format.parseSize(chunkSize)).withReplication(Math.min(3, chunkservers)), sec);
        HostPort addr = master.start();
        String http = httpPort >= 0 ? ", status page http://" + master.startHttp(httpPort) + "/" : "";
        List<ChunkServer> servers = new ArrayList<>();
        for (int i = 0; i < chunkservers; i++) {
            ChunkServer cs = new ChunkServer(ChunkServerConfig.of(addr, base.resolve("cs" + i)).withHeartbeatMs(3_000), sec);
            cs.start();
            servers.add(cs);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (master.liveServers() < chunkservers && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        Runnable stop = () -> {
            for (ChunkServer cs : servers) {
                cs.close();
            }
            master.close();
        };
        dev.grainfs.fuse.FuseMount mounted = null;
        dev.grainfs.core.client.GrainClient mountClient = null;
        if (!noMount) {
            if (dev.grainfs.fuse.FuseMount.fuseAvailable()) {
                Path mp = mount != null ? mount.toAbsolutePath() : base.resolve("mnt");
                mountClient = dev.grainfs.core.client.GrainClient.connect(ClientConfig.of(addr), sec);
                mounted = dev.grainfs.fuse.FuseMount.mount(mountClient, mp, dev.grainfs.fuse.MountOptions.defaults());
            } else {
                System.err.println("grainfs: FUSE is not available (apt-get install fuse libfuse2); not mounting");
            }
        }
        final dev.grainfs.fuse.FuseMount fm = mounted;
        final dev.grainfs.core.client.GrainClient mc = mountClient;
        Runnable stopAll = () -> {
            if (fm != null) {
                fm.close();
            }
            if (mc != null) {
                mc.close();
            }
            stop.run();
        };
        Daemons.announce("ready: master " + addr + ", " + master.liveServers() + " chunkservers, data in " + base
                + (fm != null ? ", mounted on " + fm.mountpoint() : "") + http);
        if (noShell) {
            Daemons.runUntilStopped(stopAll);
            return 0;
        }
        try {
            return ShellCommand.runShell(ClientConfig.of(addr), sec);
        } finally {
            stopAll.run();
        }
    }
}
