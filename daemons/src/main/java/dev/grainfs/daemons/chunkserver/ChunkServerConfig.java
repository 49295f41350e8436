package dev.grainfs.daemons.chunkserver;

import dev.grainfs.core.id.HostPort;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a chunkserver is told at start, parsed once at the edge.
 *
 * @param masters      every master to register and heartbeat with
 * @param dataDirs     one directory per disk
 * @param bindHost     address to listen on and to advertise
 * @param port         RPC port (0 = pick a free one)
 * @param rack         rack name for placement ("" = /default)
 * @param heartbeatMs  heartbeat interval
 * @param maxChunkSize largest chunk this server accepts
 */
public record ChunkServerConfig(List<HostPort> masters, List<Path> dataDirs, String bindHost, int port, String rack,
                                long heartbeatMs, long maxChunkSize) {
    public static final int DEFAULT_PORT = 9600;

    public ChunkServerConfig {
        if (masters.isEmpty()) {
            throw new IllegalArgumentException("a chunkserver needs at least one master");
        }
        if (dataDirs.isEmpty()) {
            throw new IllegalArgumentException("a chunkserver needs at least one data dir");
        }
        masters = List.copyOf(masters);
        dataDirs = List.copyOf(dataDirs);
    }

    public static ChunkServerConfig of(HostPort master, Path dataDir) {
        return new ChunkServerConfig(List.of(master), List.of(dataDir), "127.0.0.1", 0, "", 3_000, 1L << 30);
    }

    public ChunkServerConfig withHeartbeatMs(long ms) {
        return new ChunkServerConfig(masters, dataDirs, bindHost, port, rack, ms, maxChunkSize);
    }

    public ChunkServerConfig withRack(String r) {
        return new ChunkServerConfig(masters, dataDirs, bindHost, port, r, heartbeatMs, maxChunkSize);
    }

    public ChunkServerConfig withPort(int p) {
        return new ChunkServerConfig(masters, dataDirs, bindHost, p, rack, heartbeatMs, maxChunkSize);
    }
}
