package dev.grainfs.core.vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * File handles (the kernel's fh numbers) onto values shared per inode: every handle open on one
 * inode gets the same value, which lives until its last handle is released. Opening the value
 * (a cluster call) happens outside this table; {@link #add} settles a race between two opens of
 * the same inode by keeping the first and handing the second back to be closed.
 *
 * Thread-safe: lookups are lock-free; add and release take the table's lock briefly.
 */
public final class HandleTable<V> {
    private static final class Shared<V> {
        final long inode;
        final V value;
        int refs;

        Shared(long inode, V value) {
            this.inode = inode;
            this.value = value;
        }
    }

    /** The result of {@link #add}: the new handle, the value it shares, and whether the candidate was kept. */
    public record Added<V>(long fh, V value, boolean candidateKept) {
    }

    private final ConcurrentHashMap<Long, Shared<V>> byInode = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Shared<V>> byHandle = new ConcurrentHashMap<>();
    private long nextFh = 1;

    /** The value open on {@code inode}, or null. Lock-free. */
    public V shared(long inode) {
        Shared<V> s = byInode.get(inode);
        return s == null ? null : s.value;
    }

    /** Opens a handle on the value open for {@code inode}, or on {@code candidate} when none is. */
    public synchronized Added<V> add(long inode, V candidate) {
        Shared<V> s = byInode.get(inode);
        boolean kept = s == null;
        if (kept) {
            s = new Shared<>(inode, candidate);
            byInode.put(inode, s);
        }
        s.refs++;
        long fh = nextFh++;
        byHandle.put(fh, s);
        return new Added<>(fh, s.value, kept);
    }

    /** Opens one more handle on a value already open for {@code inode}; null when none is. */
    public synchronized Long share(long inode) {
        Shared<V> s = byInode.get(inode);
        if (s == null) {
            return null;
        }
        s.refs++;
        long fh = nextFh++;
        byHandle.put(fh, s);
        return fh;
    }

    /** The value behind a handle, or null for an unknown handle. */
    public V get(long fh) {
        Shared<V> s = byHandle.get(fh);
        return s == null ? null : s.value;
    }

    /** Closes a handle; returns the value when this was its last handle (the caller closes it), else null. */
    public synchronized V release(long fh) {
        Shared<V> s = byHandle.remove(fh);
        if (s == null || --s.refs > 0) {
            return null;
        }
        byInode.remove(s.inode);
        return s.value;
    }

    /** Every value currently open (a snapshot). */
    public synchronized List<V> values() {
        List<V> out = new ArrayList<>();
        for (Shared<V> s : byInode.values()) {
            out.add(s.value);
        }
        return out;
    }

    /** Forgets every handle and returns every value (for shutdown). */
    public synchronized List<V> clear() {
        List<V> out = values();
        byInode.clear();
        byHandle.clear();
        return out;
    }

    public int handleCount() {
        return byHandle.size();
    }

    /** Number of distinct values (inodes) open. */
    public int fileCount() {
        return byInode.size();
    }
}
