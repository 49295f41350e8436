package dev.grainfs.core.vfs;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Notices a burst of stat calls that missed the cache in one directory (git status, make, a stat
 * loop over known names) and says when listing the whole directory once, which brings every
 * entry's attributes in one call, is cheaper than asking name by name. At most one listing per
 * directory per window; directories that listed very large are left alone. Thread-safe.
 */
final class StatAhead {
    /** Misses (of names that exist) in one directory within a window before it is listed. */
    static final int MISSES = 16;
    /** Past this many entries a listing costs more than the stats it saves. */
    static final int MAX_ENTRIES = 50_000;

    private static final class Dir {
        long windowStartNs;
        int misses;
        boolean listed;
        int lastSize;
    }

    private final ConcurrentHashMap<String, Dir> dirs = new ConcurrentHashMap<>();
    private final long windowNs;
    private final LongSupplier clock;

    StatAhead(long windowNs, LongSupplier nanoClock) {
        this.windowNs = windowNs;
        this.clock = nanoClock;
    }

    /** Records a cache miss for an existing name in {@code dir}; true when the caller should list it now. */
    boolean missed(String dir) {
        if (windowNs <= 0) {
            return false;
        }
        if (dirs.size() > 10_000) {
            dirs.clear();
        }
        Dir d = dirs.computeIfAbsent(dir, k -> new Dir());
        long now = clock.getAsLong();
        synchronized (d) {
            if (now - d.windowStartNs > windowNs) {
                d.windowStartNs = now;
                d.misses = 0;
                d.listed = false;
            }
            if (d.listed || d.lastSize > MAX_ENTRIES || ++d.misses < MISSES) {
                return false;
            }
            d.listed = true;
            return true;
        }
    }

    /** How many entries the listing brought (large directories are not listed again). */
    void listed(String dir, int entries) {
        Dir d = dirs.get(dir);
        if (d != null) {
            synchronized (d) {
                d.lastSize = entries;
            }
        }
    }
}
