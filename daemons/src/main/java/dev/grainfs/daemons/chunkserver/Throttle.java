package dev.grainfs.daemons.chunkserver;

/** A byte-rate limit shared by threads: each acquire waits until the bytes fit in the rate. Thread-safe. */
final class Throttle {
    private final long bytesPerSec;
    private long nextFreeNs = System.nanoTime();

    /** {@code bytesPerSec} 0 = no limit. */
    Throttle(long bytesPerSec) {
        this.bytesPerSec = bytesPerSec;
    }

    void acquire(long bytes) throws InterruptedException {
        if (bytesPerSec <= 0) {
            return;
        }
        long waitNs;
        synchronized (this) {
            long now = System.nanoTime();
            nextFreeNs = Math.max(nextFreeNs, now);
            waitNs = nextFreeNs - now;
            nextFreeNs += (long) (bytes * 1e9 / bytesPerSec);
        }
        if (waitNs > 0) {
            Thread.sleep(waitNs / 1_000_000L, (int) (waitNs % 1_000_000L));
        }
    }
}
