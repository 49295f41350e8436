package dev.grainfs.daemons.master;

/**
 * The master's self-healing settings, parsed once at the edge (flags, config file).
 *
 * @param maxCopiesPerServer  re-replication copies a chunkserver takes part in at once (as source or target)
 * @param scanIntervalMs      how often every chunk's replication is re-checked
 * @param copyTimeoutMs       a copy not reported done after this long is given up and rescheduled
 * @param trashRetentionMs    deleted files stay in /.trash this long before their chunks are freed (0 = no trash)
 */
public record HealingConfig(int maxCopiesPerServer, long scanIntervalMs, long copyTimeoutMs, long trashRetentionMs) {
    public static final long DEFAULT_TRASH_RETENTION_MS = 24L * 3600 * 1000;

    public HealingConfig {
        if (maxCopiesPerServer < 1) {
            throw new IllegalArgumentException("max copies per server must be >= 1, got " + maxCopiesPerServer);
        }
        if (scanIntervalMs < 10 || copyTimeoutMs < 100 || trashRetentionMs < 0) {
            throw new IllegalArgumentException("bad healing intervals: " + scanIntervalMs + ", " + copyTimeoutMs + ", "
                    + trashRetentionMs);
        }
    }

    public static HealingConfig defaults() {
        return new HealingConfig(4, 1_000, 120_000, DEFAULT_TRASH_RETENTION_MS);
    }

    public HealingConfig withMaxCopiesPerServer(int n) {
        return new HealingConfig(n, scanIntervalMs, copyTimeoutMs, trashRetentionMs);
    }

    public HealingConfig withScanIntervalMs(long ms) {
        return new HealingConfig(maxCopiesPerServer, ms, copyTimeoutMs, trashRetentionMs);
    }

    public HealingConfig withCopyTimeoutMs(long ms) {
        return new HealingConfig(maxCopiesPerServer, scanIntervalMs, ms, trashRetentionMs);
    }

    public HealingConfig withTrashRetentionMs(long ms) {
        return new HealingConfig(maxCopiesPerServer, scanIntervalMs, copyTimeoutMs, ms);
    }
}
