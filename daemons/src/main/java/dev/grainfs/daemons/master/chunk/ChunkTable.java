package dev.grainfs.daemons.master.chunk;

import dev.grainfs.daemons.master.namespace.FileInode;
import java.util.function.Consumer;

/** Chunk handle -> ChunkInfo, chained through the ChunkInfos themselves; guarded by the master's lock. */
public final class ChunkTable {
    private ChunkInfo[] table = new ChunkInfo[1 << 10];
    private int size;

    public int size() {
        return size;
    }

    public ChunkInfo get(long handle) {
        for (ChunkInfo c = table[slot(handle, table.length)]; c != null; c = c.nextInTable) {
            if (c.handle == handle) {
                return c;
            }
        }
        return null;
    }

    public ChunkInfo add(long handle, long version, FileInode file, long index) {
        if (get(handle) != null) {
            throw new IllegalStateException("chunk " + Long.toHexString(handle) + " exists");
        }
        if (size >= table.length * 3 / 4) {
            grow();
        }
        ChunkInfo c = new ChunkInfo(handle, version, file, index);
        int s = slot(handle, table.length);
        c.nextInTable = table[s];
        table[s] = c;
        size++;
        return c;
    }

    public void remove(ChunkInfo chunk) {
        int s = slot(chunk.handle, table.length);
        ChunkInfo prev = null;
        for (ChunkInfo c = table[s]; c != null; prev = c, c = c.nextInTable) {
            if (c == chunk) {
                if (prev == null) {
                    table[s] = c.nextInTable;
                } else {
                    prev.nextInTable = c.nextInTable;
                }
                c.nextInTable = null;
                size--;
                return;
            }
        }
    }

    public void forEach(Consumer<ChunkInfo> action) {
        for (ChunkInfo head : table) {
            for (ChunkInfo c = head; c != null; c = c.nextInTable) {
                action.accept(c);
            }
        }
    }

    /** Hash buckets, for walking the table in slices ({@link #forEachInBuckets}) with the lock released between. */
    public int buckets() {
        return table.length;
    }

    /** Visits the chunks of buckets [from, to); a table that grew since {@link #buckets} was read is walked in its new layout. */
    public void forEachInBuckets(int from, int to, Consumer<ChunkInfo> action) {
        for (int b = from; b < Math.min(to, table.length); b++) {
            for (ChunkInfo c = table[b]; c != null; c = c.nextInTable) {
                action.accept(c);
            }
        }
    }

    private void grow() {
        ChunkInfo[] old = table;
        table = new ChunkInfo[old.length * 2];
        for (ChunkInfo head : old) {
            for (ChunkInfo c = head; c != null; ) {
                ChunkInfo next = c.nextInTable;
                int s = slot(c.handle, table.length);
                c.nextInTable = table[s];
                table[s] = c;
                c = next;
            }
        }
    }

    private static int slot(long handle, int len) {
        long h = handle * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (len - 1);
    }
}
