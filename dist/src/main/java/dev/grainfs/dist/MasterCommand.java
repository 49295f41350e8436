package dev.grainfs.dist;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.daemons.master.Master;
import dev.grainfs.daemons.master.HealingConfig;
import dev.grainfs.daemons.master.MasterConfig;
import dev.grainfs.daemons.master.SafeModeConfig;
import dev.grainfs.daemons.master.journal.JournalCorruptException;
import dev.grainfs.shell.Format;
import java.io.IOException;
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
    @Option(names = "--safemode-threshold", description = "after a restart, refuse changes until this fraction "
            + "of known chunks has a reported replica; default ${DEFAULT-VALUE}")
    double safeModeThreshold = SafeModeConfig.DEFAULT_THRESHOLD;
    @Option(names = "--safemode-min-servers", description = "... and this many chunkservers are live; default ${DEFAULT-VALUE}")
    int safeModeMinServers = SafeModeConfig.DEFAULT_MIN_SERVERS;
    @Option(names = "--safemode-extension", description = "... for this long; default ${DEFAULT-VALUE}")
    String safeModeExtension = "5s";
    @Option(names = "--trash-retention", description = "deleted files stay in /.trash this long (0 = no trash); default ${DEFAULT-VALUE}")
    String trashRetention = "24h";
    @Option(names = "--max-copies-per-server", description = "re-replication copies a chunkserver takes part in at once; default ${DEFAULT-VALUE}")
    int maxCopiesPerServer = 4;
    @Option(names = "--replication-scan", description = "how often every chunk's replication is checked; default ${DEFAULT-VALUE}")
    String replicationScan = "1s";
    @Option(names = "--shadow-timeout", description = "a change waits this long for a silent shadow master, "
            + "then the master goes on alone; default ${DEFAULT-VALUE}")
    String shadowTimeout = "5s";
    @picocli.CommandLine.Mixin
    SecurityOptions security = new SecurityOptions();
    @picocli.CommandLine.Mixin
    ZooKeeperOptions zk = new ZooKeeperOptions();
    @Option(names = "--exports", paramLabel = "FILE",
            description = "export rules: root_squash per client network, superuser-group (docs/security.md)")
    Path exports;

    @Override
    public Integer call() throws Exception {
        Daemons.logInfo();
        MasterConfig c = new MasterConfig(metaDir, bind, port, Format.parseDurationMs(deadAfter), replication,
                Format.parseSize(chunkSize), Format.parseDurationMs(lease), Format.parseDurationMs(heartbeat),
                checkpointRecords, Format.parseDurationMs(checkpointInterval),
                new SafeModeConfig(safeModeThreshold, safeModeMinServers, Format.parseDurationMs(safeModeExtension)));
        HealingConfig h = HealingConfig.defaults().withTrashRetentionMs(Format.parseDurationMs(trashRetention))
                .withMaxCopiesPerServer(maxCopiesPerServer).withScanIntervalMs(Format.parseDurationMs(replicationScan));
        dev.grainfs.daemons.master.LeaderElection election;
        try {
            election = zk.election(bind + ":" + port);
        } catch (IllegalArgumentException e) {
            System.err.println("grainfs: master: bad --zookeeper settings: " + e.getMessage());
            return 2;
        }
        Master m;
        try {
            m = Master.open(c, h, security.resolve(), exports == null ? dev.grainfs.daemons.master.Exports.OPEN
                    : dev.grainfs.daemons.master.Exports.load(exports));
        } catch (JournalCorruptException e) {
            // one line an operator can act on
            System.err.println("grainfs: master: refusing to start: " + e.getMessage()
                    + " (recovery: docs/operations.md, \"Master metadata: backup and recovery\")");
            return 3;
        } catch (IOException e) {
            System.err.println("grainfs: master: cannot start: " + e.getMessage());
            return 1;
        }
        m.withShadowTimeoutMs(Format.parseDurationMs(shadowTimeout));
        if (election != null) {
            try {
                election.start(30_000);
                election.awaitLeadership(10_000); // active only as the leader: waits while another master leads
                m.withElection(election);
            } catch (IOException e) {
                m.close();
                System.err.println("grainfs: master: cannot start: " + e.getMessage());
                return 1;
            }
        }
        HostPort a = m.start();
        Daemons.announce("listening on " + a);
        if (httpPort >= 0) {
            Daemons.announce("http on " + m.startHttp(httpPort));
        }
        Daemons.runUntilStopped(m::close);
        return 0;
    }
}
