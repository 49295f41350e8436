package dev.grainfs.core.vfs;

import dev.grainfs.core.client.FileStat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Recent stat answers by path (lstat semantics: a symlink's own attributes), each reused until its
 * TTL runs out. Local mutations invalidate what they change; changes made by other clients show
 * up within one TTL, as the kernel's own attribute cache behaves. Thread-safe, lock-free reads.
 */
public final class AttrCache {
    private record Entry(FileStat stat, long expiresNs) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNs;
    private final LongSupplier clock;

    public AttrCache(long ttlNs, LongSupplier nanoClock) {
        this.ttlNs = ttlNs;
        this.clock = nanoClock;
    }

    public AttrCache(long ttlNs) {
        this(ttlNs, System::nanoTime);
    }

    /** The cached stat of {@code path}, or null when absent or expired. */
    public FileStat get(String path) {
        Entry e = entries.get(path);
        if (e == null) {
            return null;
        }
        if (clock.getAsLong() - e.expiresNs >= 0) {
            entries.remove(path, e);
            return null;
        }
        return e.stat;
    }

    public void put(String path, FileStat stat) {
        if (ttlNs > 0) {
            entries.put(path, new Entry(stat, clock.getAsLong() + ttlNs));
        }
    }

    /** Forgets one path. */
    public void invalidate(String path) {
        entries.remove(path);
    }

    /** Forgets a path, its parent directory (whose mtime and nlink moved) and nothing else. */
    public void invalidateWithParent(String path) {
        entries.remove(path);
        entries.remove(VfsPaths.parent(path));
    }

    /** Forgets a path and everything below it (a directory renamed or removed). */
    public void invalidateTree(String path) {
        entries.remove(path);
        String prefix = path.endsWith("/") ? path : path + "/";
        entries.keySet().removeIf(k -> k.startsWith(prefix));
    }

    public void clear() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }
}
