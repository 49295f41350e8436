package dev.grainfs.daemons.chunkserver;

import dev.grainfs.daemons.chunkserver.store.ChunkCorruptException;
import dev.grainfs.daemons.chunkserver.store.ChunkNotFoundException;
import dev.grainfs.daemons.chunkserver.store.ReplicaInfo;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background scrubber: re-reads every replica and checks its CRCs at a bounded rate, a pass at most
 * every scrub period; a replica that fails is reported corrupt in the next heartbeat (the master
 * re-replicates it from a good copy, then deletes it). Replicas found corrupt at open are reported
 * when it starts. One daemon thread.
 */
final class Scrubber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scrubber.class);

    private final StoreAdapter store;
    private final ChunkReports reports;
    private final Throttle throttle;
    private final long periodMs;
    private final Thread thread;
    private volatile boolean stopped;
    final AtomicLong verified = new AtomicLong();
    final AtomicLong passes = new AtomicLong();
    final AtomicLong found = new AtomicLong();

    Scrubber(StoreAdapter store, ChunkReports reports, RepairConfig config) {
        this.store = store;
        this.reports = reports;
        this.throttle = new Throttle(config.scrubBytesPerSec());
        this.periodMs = config.scrubPeriodMs();
        this.thread = new Thread(this::run, "scrubber");
        this.thread.setDaemon(true);
    }

    void start() {
        for (long h : store.raw().corruptChunks()) {
            reports.corrupt(h);
        }
        thread.start();
    }

    private void run() {
        try {
            while (!stopped) {
                long start = System.currentTimeMillis();
                pass();
                passes.incrementAndGet();
                long rest = start + periodMs - System.currentTimeMillis();
                if (rest > 0) {
                    Thread.sleep(rest);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pass() throws InterruptedException {
        List<ReplicaInfo> all = store.raw().report();
        for (ReplicaInfo r : all) {
            if (stopped) {
                return;
            }
            throttle.acquire(Math.max(r.length(), 1));
            try {
                store.raw().verify(r.handle());
                verified.incrementAndGet();
            } catch (ChunkCorruptException e) {
                found.incrementAndGet();
                log.warn("scrubber: replica of chunk {} is corrupt: {}", Long.toHexString(r.handle()), e.getMessage());
                reports.corrupt(r.handle());
            } catch (ChunkNotFoundException e) {
                // deleted since the list was taken
            } catch (IOException e) {
                log.warn("scrubber: cannot verify chunk {}: {}", Long.toHexString(r.handle()), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
