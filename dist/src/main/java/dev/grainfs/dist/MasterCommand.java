package dev.grainfs.dist;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.daemons.master.Master;
import dev.grainfs.daemons.master.MasterConfig;
import dev.grainfs.shell.Format;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "master", description = "Run the master: namespace, chunk map, leases, placement.",
        footer = {"", "Example:", "  grainfs master --meta-dir /var/lib/grainfs/meta --port 9500"})
final class MasterCommand implements Callable<Integer> {
    @Option(names = "--meta-dir", required = true, description = "operation log and checkpoints")
    Path metaDir;
    @Option(names = "--port", description = "RPC port (0 = any free port); default ${DEFAULT-VALUE}")
    int port = MasterConfig.DEFAULT_PORT;
    @Option(names = "--http-port", description = "status page and /metrics port (0 = any; -1 = off); default ${DEFAULT-VALUE}")
    int httpPort = -1;
    @Option(names = "--bind", description = "address to listen on; default ${DEFAULT-VALUE}")
    String bind = "127.0.0.1";
    @Option(names = "--config", description = "config file with the same keys as these flags (flags win)")
    Path config;
    @Option(names = "--dead-after", description = "a chunkserver silent this long is dead; default ${DEFAULT-VALUE}s")
    String deadAfter = "30";
    @Option(names = "--replication", description = "default replication of new files; default ${DEFAULT-VALUE}")
    int replication = 3;
    @Option(names = "--chunk-size", description = "default chunk size of new files; default ${DEFAULT-VALUE}")
    String chunkSize = "64m";
    @Option(names = "--lease", description = "chunk lease length; default ${DEFAULT-VALUE}s")
    String lease = "60";
    @Option(names = "--heartbeat", description = "heartbeat interval for chunkservers; default ${DEFAULT-VALUE}s")
    String heartbeat = "3";
    @Option(names = "--checkpoint-records", description = "checkpoint after this many log records; default ${DEFAULT-VALUE}")
    long checkpointRecords = 1_000_000;
    @Option(names = "--checkpoint-interval", description = "... or this long; default ${DEFAULT-VALUE}")
    String checkpointInterval = "1h";
    @picocli.CommandLine.Mixin
    SecurityOptions security = new SecurityOptions();
    @Option(names = "--exports", paramLabel = "FILE",
            description = "export rules: root_squash per client network, superuser-group (docs/security.md)")
    Path exports;

    @Override
    public Integer call() throws Exception {
        Daemons.logInfo();
        MasterConfig c = new MasterConfig(metaDir, bind, port, Format.parseDurationMs(deadAfter), replication,
                Format.parseSize(chunkSize), Format.parseDurationMs(lease), Format.parseDurationMs(heartbeat),
                checkpointRecords, Format.parseDurationMs(checkpointInterval));
        Master m = Master.open(c, security.resolve(),
                exports == null ? dev.grainfs.daemons.master.Exports.OPEN : dev.grainfs.daemons.master.Exports.load(exports));
        HostPort a = m.start();
        Daemons.announce("listening on " + a);
        Daemons.runUntilStopped(m::close);
        return 0;
    }
}
