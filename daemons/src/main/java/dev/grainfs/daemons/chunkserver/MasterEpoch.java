package dev.grainfs.daemons.chunkserver;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest master epoch this chunkserver has seen: orders (heartbeat answers, SetVersion) from a
 * master of a lower epoch are refused, so an old master that comes back after a failover cannot
 * delete, copy or re-version replicas. Epoch 0 is a shadow master's, which gives no orders. Thread-safe.
 */
final class MasterEpoch {
    private static final Logger log = LoggerFactory.getLogger(MasterEpoch.class);
    private final AtomicLong highest = new AtomicLong();

    long highest() {
        return highest.get();
    }

    /** Notes the epoch of a master that answered; true if its orders may be obeyed (not older than any seen). */
    boolean admit(long epoch, Object master) {
        if (epoch <= 0) {
            return false;
        }
        long before = highest.getAndAccumulate(epoch, Math::max);
        if (epoch > before && before > 0) {
            log.warn("master {} has epoch {} (was {}): orders of older masters are refused from now on", master,
                    epoch, before);
        }
        return epoch >= before;
    }
}
