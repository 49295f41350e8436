package dev.grainfs.daemons.chunkserver.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how many replicas hold open file channels and in-memory CRCs, closing the least recently used.
 *
 * <p>Closing persists the replica's CRCs to its sidecar (without forcing) and never waits: a replica whose
 * lock is busy is skipped, so trimming cannot deadlock with an operation in progress.
 */
final class OpenReplicas {

    private static final Logger log = LoggerFactory.getLogger(OpenReplicas.class);

    private final int max;
    private final Set<Replica> open = ConcurrentHashMap.newKeySet();

    OpenReplicas(int max) {
        this.max = max;
    }

    /** Called after every operation on {@code r}, with no replica lock held. */
    void touch(Replica r) {
        r.markUsed();
        if (r.isOpen() && open.add(r) && open.size() > max) {
            trim();
        }
    }

    void forget(Replica r) {
        open.remove(r);
    }

    int size() {
        return open.size();
    }

    private synchronized void trim() {
        int target = max - max / 8; // trim a batch so the sort is paid once per max/8 opens
        List<Replica> byAge = new ArrayList<>(open);
        if (byAge.size() <= max) {
            return;
        }
        byAge.sort(Comparator.comparingLong(Replica::lastUsedNanos));
        int excess = byAge.size() - target;
        for (Replica r : byAge) {
            if (excess <= 0) {
                break;
            }
            if (close(r)) {
                open.remove(r);
                excess--;
            }
        }
    }

    private static boolean close(Replica r) {
        if (!r.tryLockExclusive()) {
            return false;
        }
        try {
            r.close(false);
            return true;
        } catch (IOException e) {
            log.warn("chunk {}: could not persist its CRCs; keeping it open", r.hex(), e);
            return false;
        } finally {
            r.unlockWrite();
        }
    }
}
