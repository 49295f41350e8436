package dev.grainfs.daemons.master.namespace;

/**
 * Inode id -> inode: an open-addressing hash table (linear probing, backward-shift deletion) over
 * one array, so an entry costs 4-8 bytes and no entry objects or chain pointers. Not thread-safe.
 */
final class InodeTable {
    private Inode[] table = new Inode[1 << 10];
    private int size;

    int size() {
        return size;
    }

    Inode get(long id) {
        Inode[] t = table;
        int mask = t.length - 1;
        for (int s = slot(id, mask); ; s = (s + 1) & mask) {
            Inode i = t[s];
            if (i == null || i.id == id) {
                return i;
            }
        }
    }

    /** Makes room for {@code n} inodes in all, so a checkpoint load does not grow the table step by step. */
    void reserve(int n) {
        int length = table.length;
        while (n > length * 3 / 4) {
            length *= 2;
        }
        if (length > table.length) {
            resize(length);
        }
    }

    /** Adds an inode whose id is not in the table. */
    void put(Inode inode) {
        if (size + 1 > table.length * 3 / 4) {
            resize(table.length * 2);
        }
        insert(table, inode);
        size++;
    }

    void remove(Inode inode) {
        Inode[] t = table;
        int mask = t.length - 1;
        int s = slot(inode.id, mask);
        while (t[s] != inode) {
            if (t[s] == null) {
                return;
            }
            s = (s + 1) & mask;
        }
        // shift later members of the probe run back into the hole, so lookups never stop early
        int hole = s;
        for (int j = (hole + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int home = slot(t[j].id, mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                t[hole] = t[j];
                hole = j;
            }
        }
        t[hole] = null;
        size--;
    }

    private void resize(int length) {
        Inode[] next = new Inode[length];
        for (Inode i : table) {
            if (i != null) {
                insert(next, i);
            }
        }
        table = next;
    }

    private static void insert(Inode[] t, Inode inode) {
        int mask = t.length - 1;
        int s = slot(inode.id, mask);
        while (t[s] != null) {
            s = (s + 1) & mask;
        }
        t[s] = inode;
    }

    /** Fibonacci hashing: consecutive ids scatter, so probe runs stay short even when most ids are live. */
    private static int slot(long id, int mask) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
