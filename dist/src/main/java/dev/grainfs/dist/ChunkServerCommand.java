package dev.grainfs.dist;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.daemons.chunkserver.ChunkServer;
import dev.grainfs.daemons.chunkserver.ChunkServerConfig;
import dev.grainfs.daemons.chunkserver.RepairConfig;
import dev.grainfs.shell.Format;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "chunkserver", description = "Run a chunkserver: stores chunk replicas on local disks.",
        footer = {"", "Example:", "  grainfs chunkserver --master 10.0.0.1:9500 --data-dir /disk1/grainfs,/disk2/grainfs"})
final class ChunkServerCommand implements Callable<Integer> {
    @Option(names = "--master", required = true, split = ",", description = "master address(es)")
    List<String> masters;
    @Option(names = "--data-dir", required = true, split = ",", description = "one directory per disk")
    List<Path> dataDirs;
    @Option(names = "--port", description = "RPC port (0 = any free port); default ${DEFAULT-VALUE}")
    int port = ChunkServerConfig.DEFAULT_PORT;
    @Option(names = "--bind", description = "address to listen on and advertise; default ${DEFAULT-VALUE}")
    String bind = "127.0.0.1";
    @Option(names = "--rack", description = "rack name for replica placement")
    String rack = "";
    @Option(names = "--heartbeat", description = "heartbeat interval; default ${DEFAULT-VALUE}s")
    String heartbeat = "3";
    @Option(names = "--http-port", description = "status page and /metrics port (0 = any; -1 = off); default ${DEFAULT-VALUE}")
    int httpPort = -1;
    @Option(names = "--copy-bandwidth", description = "re-replication bandwidth this server copies at (0 = unbounded); default ${DEFAULT-VALUE}/s")
    String copyBandwidth = "256m";
    @Option(names = "--max-copies", description = "re-replication copies run at once; default ${DEFAULT-VALUE}")
    int maxCopies = 4;
    @Option(names = "--scrub-rate", description = "scrubber re-verification rate (0 = no scrubber); default ${DEFAULT-VALUE}/s")
    String scrubRate = "16m";
    @Option(names = "--scrub-period", description = "a full scrub pass starts at most this often; default ${DEFAULT-VALUE}")
    String scrubPeriod = "6h";
    @Option(names = "--config", description = "config file with the same keys as these flags (flags win)")
    Path config;
    @picocli.CommandLine.Mixin
    SecurityOptions security = new SecurityOptions();

    @Override
    public Integer call() throws Exception {
        Daemons.logInfo();
        List<HostPort> ms = new ArrayList<>();
        for (String m : masters) {
            ms.add(HostPort.parse(m));
        }
        ChunkServerConfig c = new ChunkServerConfig(ms, dataDirs, bind, port, rack, Format.parseDurationMs(heartbeat),
                1L << 30);
        RepairConfig repair = RepairConfig.defaults().withMaxCopies(maxCopies)
                .withCopyBytesPerSec(Format.parseSize(copyBandwidth))
                .withScrub(Format.parseSize(scrubRate), Format.parseDurationMs(scrubPeriod));
        ChunkServer cs = new ChunkServer(c, repair, security.resolve());
        HostPort a = cs.start();
        Daemons.announce("listening on " + a);
        if (httpPort >= 0) {
            Daemons.announce("http on " + cs.startHttp(httpPort));
        }
        Daemons.runUntilStopped(cs::close);
        return 0;
    }
}
