package dev.grainfs.daemons.master;

/**
 * When a restarted master leaves safe mode, parsed once at the edge.
 *
 * @param threshold   fraction of the known chunks that must have a reported replica (0..1); default 0.999
 * @param minServers  live chunkservers needed as well; default 1
 * @param extensionMs how long both must hold before the master leaves; default 5 s
 */
public record SafeModeConfig(double threshold, int minServers, long extensionMs) {
    public static final double DEFAULT_THRESHOLD = 0.999;
    public static final int DEFAULT_MIN_SERVERS = 1;
    public static final long DEFAULT_EXTENSION_MS = 5_000;

    public SafeModeConfig {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("safe mode threshold must be 0..1, got " + threshold);
        }
        if (minServers < 0) {
            throw new IllegalArgumentException("safe mode minimum servers must be >= 0, got " + minServers);
        }
        if (extensionMs < 0) {
            throw new IllegalArgumentException("safe mode extension must be >= 0, got " + extensionMs);
        }
    }

    public static SafeModeConfig defaults() {
        return new SafeModeConfig(DEFAULT_THRESHOLD, DEFAULT_MIN_SERVERS, DEFAULT_EXTENSION_MS);
    }
}
