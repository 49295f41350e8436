package dev.grainfs.daemons.master;

import java.nio.file.Path;

/**
 * Everything a master is told at start, parsed once at the edge (flags, config file).
 *
 * @param metaDir       operation log and checkpoints
 * @param bindHost      address to listen on
 * @param port          RPC port (0 = pick a free one)
 * @param deadAfterMs   a chunkserver silent this long is dead
 * @param replication   default replication of new files
 * @param chunkSize     default chunk size of new files (a multiple of 64 KiB)
 * @param leaseMs       chunk lease length
 * @param heartbeatMs   heartbeat interval told to chunkservers
 * @param checkpointRecords  write a checkpoint after this many log records
 * @param checkpointMs       ... or after this long, whichever comes first
 * @param safeMode           when a restarted master starts taking mutations
 */
public record MasterConfig(Path metaDir, String bindHost, int port, long deadAfterMs, int replication,
                           long chunkSize, long leaseMs, long heartbeatMs, long checkpointRecords,
                           long checkpointMs, SafeModeConfig safeMode) {
    public static final int DEFAULT_PORT = 9500;
    public static final long DEFAULT_CHUNK_SIZE = 64L << 20;
    public static final long MIN_CHUNK_SIZE = 64L << 10;

    public MasterConfig {
        if (safeMode == null) {
            safeMode = SafeModeConfig.defaults();
        }
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize % MIN_CHUNK_SIZE != 0) {
            throw new IllegalArgumentException("chunk size must be a multiple of 64 KiB, got " + chunkSize);
        }
        if (replication < 1 || replication > 16) {
            throw new IllegalArgumentException("replication must be 1..16, got " + replication);
        }
    }

    /** The configuration with the default safe mode. */
    public MasterConfig(Path metaDir, String bindHost, int port, long deadAfterMs, int replication, long chunkSize,
                        long leaseMs, long heartbeatMs, long checkpointRecords, long checkpointMs) {
        this(metaDir, bindHost, port, deadAfterMs, replication, chunkSize, leaseMs, heartbeatMs, checkpointRecords,
                checkpointMs, SafeModeConfig.defaults());
    }

    public static MasterConfig defaults(Path metaDir) {
        return new MasterConfig(metaDir, "127.0.0.1", DEFAULT_PORT, 30_000, 3, DEFAULT_CHUNK_SIZE, 60_000, 3_000,
                1_000_000, 3_600_000);
    }

    public MasterConfig withPort(int p) {
        return new MasterConfig(metaDir, bindHost, p, deadAfterMs, replication, chunkSize, leaseMs, heartbeatMs,
                checkpointRecords, checkpointMs, safeMode);
    }

    public MasterConfig withChunkSize(long c) {
        return new MasterConfig(metaDir, bindHost, port, deadAfterMs, replication, c, leaseMs, heartbeatMs,
                checkpointRecords, checkpointMs, safeMode);
    }

    public MasterConfig withReplication(int r) {
        return new MasterConfig(metaDir, bindHost, port, deadAfterMs, r, chunkSize, leaseMs, heartbeatMs,
                checkpointRecords, checkpointMs, safeMode);
    }

    public MasterConfig withDeadAfterMs(long d) {
        return new MasterConfig(metaDir, bindHost, port, d, replication, chunkSize, leaseMs, heartbeatMs,
                checkpointRecords, checkpointMs, safeMode);
    }

    public MasterConfig withBindHost(String h) {
        return new MasterConfig(metaDir, h, port, deadAfterMs, replication, chunkSize, leaseMs, heartbeatMs,
                checkpointRecords, checkpointMs, safeMode);
    }

    public MasterConfig withLeaseMs(long l) {
        return new MasterConfig(metaDir, bindHost, port, deadAfterMs, replication, chunkSize, l, heartbeatMs,
                checkpointRecords, checkpointMs, safeMode);
    }

    public MasterConfig withCheckpoint(long records, long ms) {
        return new MasterConfig(metaDir, bindHost, port, deadAfterMs, replication, chunkSize, leaseMs, heartbeatMs,
                records, ms, safeMode);
    }

    public MasterConfig withHeartbeatMs(long h) {
        return new MasterConfig(metaDir, bindHost, port, deadAfterMs, replication, chunkSize, leaseMs, h,
                checkpointRecords, checkpointMs, safeMode);
    }

    public MasterConfig withSafeMode(SafeModeConfig s) {
        return new MasterConfig(metaDir, bindHost, port, deadAfterMs, replication, chunkSize, leaseMs, heartbeatMs,
                checkpointRecords, checkpointMs, s);
    }
}
