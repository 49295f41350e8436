package dev.grainfs.daemons.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Records when the machine stalls this JVM (jHiccup's idea): a thread that asks to wake every
 * millisecond and notes each wake-up that came more than 10 ms late. A reply that was slow while
 * this thread was stalled as well was slow because the host gave no CPU, not because of the node.
 */
final class HiccupMonitor implements AutoCloseable {
    private static final long TICK_NS = 1_000_000;
    private static final long STALL_NS = 10_000_000;
    private final List<long[]> stalls = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    HiccupMonitor() {
        thread = new Thread(this::watch, "hiccup-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        long last = System.nanoTime();
        while (running) {
            LockSupport.parkNanos(TICK_NS);
            long now = System.nanoTime();
            if (now - last > STALL_NS) {
                synchronized (stalls) {
                    stalls.add(new long[] {last + TICK_NS, now});
                }
            }
            last = now;
        }
    }

    /** Nanoseconds of [from, to) during which this JVM was stalled. */
    long stalledNs(long from, long to) {
        long sum = 0;
        synchronized (stalls) {
            for (long[] s : stalls) {
                sum += Math.max(0, Math.min(to, s[1]) - Math.max(from, s[0]));
            }
        }
        return sum;
    }

    long totalStalledNs() {
        return stalledNs(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
