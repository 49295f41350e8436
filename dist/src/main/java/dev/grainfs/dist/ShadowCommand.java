package dev.grainfs.dist;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.daemons.master.Exports;
import dev.grainfs.daemons.master.HealingConfig;
import dev.grainfs.daemons.master.SafeModeConfig;
import dev.grainfs.daemons.master.MasterConfig;
import dev.grainfs.daemons.master.ShadowMaster;
import dev.grainfs.daemons.master.journal.JournalCorruptException;
import dev.grainfs.shell.Format;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "shadow", description = "Run a shadow master: a hot, synchronous copy of the master's metadata "
        + "that serves reads (docs/operations.md, \"Failover\").",
        footer = {"", "Example:", "  grainfs shadow --master 10.0.0.1:9500 --meta-dir /var/lib/grainfs/shadow --port 9501"})
final class ShadowCommand implements Callable<Integer> {
    @Option(names = "--master", required = true, paramLabel = "HOST:PORT", description = "the active master to follow")
    String master;
    @Option(names = "--meta-dir", required = true, description = "the shadow's own operation log and checkpoints")
    Path metaDir;
    @Option(names = "--port", description = "RPC port for reads (0 = any free port); default ${DEFAULT-VALUE}")
    int port = 9501;
    @Option(names = "--bind", description = "address to listen on; default ${DEFAULT-VALUE}")
    String bind = "127.0.0.1";
    @Option(names = "--config", description = "config file with the same keys as these flags (flags win)")
    Path config;
    @Option(names = "--checkpoint-records", description = "checkpoint after this many log records; default ${DEFAULT-VALUE}")
    long checkpointRecords = 1_000_000;
    @Option(names = "--checkpoint-interval", description = "... or this long; default ${DEFAULT-VALUE}")
    String checkpointInterval = "1h";
    // what it runs with once promoted (`grainfs failover`): give the same values as the master's
    @Option(names = "--replication", description = "once promoted: default replication of new files; default ${DEFAULT-VALUE}")
    int replication = 3;
    @Option(names = "--heartbeat", description = "once promoted: heartbeat interval for chunkservers; default ${DEFAULT-VALUE}s")
    String heartbeat = "3";
    @Option(names = "--dead-after", description = "once promoted: a chunkserver silent this long is dead; default ${DEFAULT-VALUE}s")
    String deadAfter = "30";
    @Option(names = "--safemode-extension", description = "once promoted: safe mode lasts this long after the "
            + "chunkservers reported; default ${DEFAULT-VALUE}")
    String safeModeExtension = "5s";
    @Option(names = "--trash-retention", description = "once promoted: deleted files stay in /.trash this long; default ${DEFAULT-VALUE}")
    String trashRetention = "24h";
    @picocli.CommandLine.Mixin
    SecurityOptions security = new SecurityOptions();
    @picocli.CommandLine.Mixin
    ZooKeeperOptions zk = new ZooKeeperOptions();
    @Option(names = "--exports", paramLabel = "FILE",
            description = "export rules for the reads it serves, as the master's (docs/security.md)")
    Path exports;

    @Override
    public Integer call() throws Exception {
        Daemons.logInfo();
        HostPort m;
        try {
            m = HostPort.parse(master);
        } catch (IllegalArgumentException e) {
            System.err.println("grainfs: shadow: bad --master '" + master + "': " + e.getMessage());
            return 2;
        }
        MasterConfig c = MasterConfig.defaults(metaDir).withBindHost(bind).withPort(port)
                .withCheckpoint(checkpointRecords, Format.parseDurationMs(checkpointInterval))
                .withReplication(replication).withHeartbeatMs(Format.parseDurationMs(heartbeat))
                .withDeadAfterMs(Format.parseDurationMs(deadAfter))
                .withSafeMode(new SafeModeConfig(SafeModeConfig.DEFAULT_THRESHOLD, SafeModeConfig.DEFAULT_MIN_SERVERS,
                        Format.parseDurationMs(safeModeExtension)));
        HealingConfig h = HealingConfig.defaults().withTrashRetentionMs(Format.parseDurationMs(trashRetention));
        dev.grainfs.daemons.master.LeaderElection election;
        try {
            election = zk.election(bind + ":" + port);
        } catch (IllegalArgumentException e) {
            System.err.println("grainfs: shadow: bad --zookeeper settings: " + e.getMessage());
            return 2;
        }
        ShadowMaster s;
        try {
            s = ShadowMaster.open(c, h, m, security.resolve(), exports == null ? Exports.OPEN : Exports.load(exports));
        } catch (JournalCorruptException e) {
            System.err.println("grainfs: shadow: refusing to start: " + e.getMessage()
                    + " (an empty --meta-dir makes it fetch a fresh snapshot from the master)");
            return 3;
        } catch (IOException e) {
            System.err.println("grainfs: shadow: cannot start: " + e.getMessage());
            return 1;
        }
        if (election != null) {
            s.withElection(election); // joins once it follows the master; promotes itself when it leads
        }
        Daemons.announce("listening on " + s.start());
        Daemons.runUntilStopped(s::close);
        return 0;
    }
}
