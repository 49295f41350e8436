package dev.grainfs.dist;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.daemons.chunkserver.ChunkServer;
import dev.grainfs.daemons.chunkserver.ChunkServerConfig;
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
    @Option(names = "--http-port", description = "status page and /metrics port (-1 = off)")
    int httpPort = -1;
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
        ChunkServer cs = new ChunkServer(c, security.resolve());
        HostPort a = cs.start();
        Daemons.announce("listening on " + a);
        Daemons.runUntilStopped(cs::close);
        return 0;
    }
}
