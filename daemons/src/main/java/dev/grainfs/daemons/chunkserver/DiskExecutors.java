package dev.grainfs.daemons.chunkserver;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The threads that touch the disks, so a slow disk never stalls the network threads. Mutations of
 * one chunk always run on the same thread (its stripe), in submission order; reads run on a
 * separate pool so a long write queue does not delay them.
 */
final class DiskExecutors implements AutoCloseable {
    private final ExecutorService[] stripes;
    private final ExecutorService readers;

    DiskExecutors(int writeStripes, int readThreads) {
        stripes = new ExecutorService[writeStripes];
        for (int i = 0; i < writeStripes; i++) {
            stripes[i] = Executors.newSingleThreadExecutor(named("chunk-write-" + i));
        }
        readers = Executors.newFixedThreadPool(readThreads, named("chunk-read"));
    }

    /** The executor that orders mutations of {@code handle}. */
    ExecutorService writer(long handle) {
        return stripes[(int) Math.floorMod(handle * 0x9E3779B97F4A7C15L >>> 33, (long) stripes.length)];
    }

    ExecutorService readers() {
        return readers;
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + (name.endsWith("-" + n.get()) ? "" : "-" + n.incrementAndGet()));
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        for (ExecutorService e : stripes) {
            e.shutdown();
        }
        readers.shutdown();
        try {
            for (ExecutorService e : stripes) {
                e.awaitTermination(10, TimeUnit.SECONDS);
            }
            readers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
