package dev.grainfs.daemons.chunkserver;

/**
 * A chunkserver's self-healing settings, parsed once at the edge.
 *
 * @param maxCopies        re-replication copies this server runs at once (the master also bounds them)
 * @param copyBytesPerSec  bandwidth all copies share (0 = unbounded)
 * @param scrubBytesPerSec rate at which the scrubber re-reads replicas to verify their checksums (0 = no scrubber)
 * @param scrubPeriodMs    a scrub pass starts at most this often (a pass over every replica)
 */
public record RepairConfig(int maxCopies, long copyBytesPerSec, long scrubBytesPerSec, long scrubPeriodMs) {
    public RepairConfig {
        if (maxCopies < 1 || copyBytesPerSec < 0 || scrubBytesPerSec < 0 || scrubPeriodMs < 0) {
            throw new IllegalArgumentException("bad repair settings: " + maxCopies + ", " + copyBytesPerSec + ", "
                    + scrubBytesPerSec + ", " + scrubPeriodMs);
        }
    }

    /** 4 copies sharing 256 MiB/s; scrub at 16 MiB/s, a pass at most every 6 hours. */
    public static RepairConfig defaults() {
        return new RepairConfig(4, 256L << 20, 16L << 20, 6L * 3600 * 1000);
    }

    public RepairConfig withCopyBytesPerSec(long b) {
        return new RepairConfig(maxCopies, b, scrubBytesPerSec, scrubPeriodMs);
    }

    public RepairConfig withMaxCopies(int n) {
        return new RepairConfig(n, copyBytesPerSec, scrubBytesPerSec, scrubPeriodMs);
    }

    public RepairConfig withScrub(long bytesPerSec, long periodMs) {
        return new RepairConfig(maxCopies, copyBytesPerSec, bytesPerSec, periodMs);
    }
}
