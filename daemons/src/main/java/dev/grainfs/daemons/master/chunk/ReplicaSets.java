package dev.grainfs.daemons.master.chunk;

import java.util.Arrays;

/**
 * Shares replica-slot arrays between chunks: a chunk on servers {2, 5, 7} usually has many
 * neighbours on the very same servers, and an int[3] is 32 bytes a chunk. A fixed-size,
 * direct-mapped cache hands out an equal array seen before, else remembers the new one; with a few
 * dozen servers nearly every chunk shares, with thousands it simply misses. Arrays handed out are
 * never written again. Thread-safe: entries are published through a final field.
 */
final class ReplicaSets {
    private static final int SIZE = 1 << 14;
    private static final Entry[] CACHE = new Entry[SIZE];

    private record Entry(int[] slots) {
    }

    private ReplicaSets() {
    }

    /** An array equal to {@code slots} that may be shared; {@code slots} must not be written afterwards. */
    static int[] canonical(int[] slots) {
        int i = Arrays.hashCode(slots) * 0x9E3779B9 >>> 18;
        Entry e = CACHE[i];
        if (e != null && Arrays.equals(e.slots(), slots)) {
            return e.slots();
        }
        CACHE[i] = new Entry(slots);
        return slots;
    }
}
