package dev.grainfs.daemons.master.namespace;

/** Inode id -> inode, as a hash table chained through the inodes themselves (no entry objects). */
final class InodeTable {
    private Inode[] table = new Inode[1 << 10];
    private int size;

    int size() {
        return size;
    }

    Inode get(long id) {
        for (Inode i = table[slot(id, table.length)]; i != null; i = i.nextInIdTable) {
            if (i.id == id) {
                return i;
            }
        }
        return null;
    }

    void put(Inode inode) {
        if (size >= table.length * 3 / 4) {
            grow();
        }
        int s = slot(inode.id, table.length);
        inode.nextInIdTable = table[s];
        table[s] = inode;
        size++;
    }

    void remove(Inode inode) {
        int s = slot(inode.id, table.length);
        Inode prev = null;
        for (Inode i = table[s]; i != null; prev = i, i = i.nextInIdTable) {
            if (i == inode) {
                if (prev == null) {
                    table[s] = i.nextInIdTable;
                } else {
                    prev.nextInIdTable = i.nextInIdTable;
                }
                i.nextInIdTable = null;
                size--;
                return;
            }
        }
    }

    private void grow() {
        Inode[] old = table;
        table = new Inode[old.length * 2];
        for (Inode head : old) {
            for (Inode i = head; i != null; ) {
                Inode next = i.nextInIdTable;
                int s = slot(i.id, table.length);
                i.nextInIdTable = table[s];
                table[s] = i;
                i = next;
            }
        }
    }

    private static int slot(long id, int len) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (len - 1);
    }
}
