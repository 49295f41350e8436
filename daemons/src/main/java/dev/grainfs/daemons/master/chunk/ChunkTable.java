package dev.grainfs.daemons.master.chunk;

import dev.grainfs.daemons.master.namespace.FileInode;
import java.util.function.Consumer;

/**
 * Chunk handle -> ChunkInfo: an open-addressing hash table (linear probing, backward-shift
 * deletion) over one array, 4-8 bytes an entry. Guarded by the master's lock.
 */
public final class ChunkTable {
    private ChunkInfo[] table = new ChunkInfo[1 << 10];
    private int size;

    public int size() {
        return size;
    }

    public ChunkInfo get(long handle) {
        ChunkInfo[] t = table;
        int mask = t.length - 1;
        for (int s = slot(handle, mask); ; s = (s + 1) & mask) {
            ChunkInfo c = t[s];
            if (c == null || c.handle == handle) {
                return c;
            }
        }
    }

    public ChunkInfo add(long handle, long version, FileInode file, long index) {
        if (size + 1 > table.length * 3 / 4) {
            resize(table.length * 2);
        }
        ChunkInfo[] t = table;
        int mask = t.length - 1;
        int s = slot(handle, mask);
        for (; t[s] != null; s = (s + 1) & mask) {
            if (t[s].handle == handle) {
                throw new IllegalStateException("chunk " + Long.toHexString(handle) + " exists");
            }
        }
        ChunkInfo c = new ChunkInfo(handle, version, file, index);
        t[s] = c;
        size++;
        return c;
    }

    public void remove(ChunkInfo chunk) {
        ChunkInfo[] t = table;
        int mask = t.length - 1;
        int s = slot(chunk.handle, mask);
        while (t[s] != chunk) {
            if (t[s] == null) {
                return;
            }
            s = (s + 1) & mask;
        }
        int hole = s;
        for (int j = (hole + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int home = slot(t[j].handle, mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                t[hole] = t[j];
                hole = j;
            }
        }
        t[hole] = null;
        size--;
    }

    public void forEach(Consumer<ChunkInfo> action) {
        for (ChunkInfo c : table) {
            if (c != null) {
                action.accept(c);
            }
        }
    }

    /** Slots of the table, for walking it in slices ({@link #forEachInBuckets}) with the lock released between. */
    public int buckets() {
        return table.length;
    }

    /**
     * Visits the chunks in slots [from, to). A table that grew or shifted entries since {@link #buckets}
     * was read is walked in its new layout, so a sliced walk may miss or repeat a few chunks: fine for
     * counts on a status page, not for anything that must see every chunk exactly once.
     */
    public void forEachInBuckets(int from, int to, Consumer<ChunkInfo> action) {
        ChunkInfo[] t = table;
        for (int b = from; b < Math.min(to, t.length); b++) {
            if (t[b] != null) {
                action.accept(t[b]);
            }
        }
    }

    private void resize(int length) {
        ChunkInfo[] next = new ChunkInfo[length];
        for (ChunkInfo c : table) {
            if (c != null) {
                insert(next, c);
            }
        }
        table = next;
    }

    private static void insert(ChunkInfo[] t, ChunkInfo c) {
        int mask = t.length - 1;
        int s = slot(c.handle, mask);
        while (t[s] != null) {
            s = (s + 1) & mask;
        }
        t[s] = c;
    }

    /** Fibonacci hashing: consecutive ids scatter, so probe runs stay short even when most ids are live. */
    private static int slot(long handle, int mask) {
        return (int) ((handle * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
