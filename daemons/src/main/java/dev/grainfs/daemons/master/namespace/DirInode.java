package dev.grainfs.daemons.master.namespace;

import java.util.Arrays;

/**
 * A directory: its children kept in an array sorted by name bytes (binary search to look up,
 * stable order for paged listings), as HDFS does, because it costs four bytes a child.
 */
public final class DirInode extends Inode {
    private static final Inode[] EMPTY = new Inode[0];
    private Inode[] children = EMPTY;
    private int count;
    private int subdirs;

    DirInode(long id, byte[] name, int mode, int uid, int gid, long timeNs) {
        super(id, name, mode, uid, gid, timeNs);
    }

    public int childCount() {
        return count;
    }

    /** 2 + subdirectories, as ext4 reports (find relies on it). */
    public int nlink() {
        return 2 + subdirs;
    }

    public Inode child(byte[] name) {
        int i = find(name);
        return i >= 0 ? children[i] : null;
    }

    /** Children in name order, starting after {@code after} (null = from the first), at most {@code limit}. */
    public Inode[] list(byte[] after, int limit) {
        int from = 0;
        if (after != null && after.length > 0) {
            int i = find(after);
            from = i >= 0 ? i + 1 : -i - 1;
        }
        int n = Math.max(0, Math.min(limit, count - from));
        return Arrays.copyOfRange(children, from, from + n);
    }

    void add(Inode child) {
        int i = find(child.name);
        if (i >= 0) {
            throw new IllegalStateException("duplicate child " + child.name());
        }
        int at = -i - 1;
        if (count == children.length) {
            children = Arrays.copyOf(children, Math.max(4, count + (count >> 1) + 1));
        }
        System.arraycopy(children, at, children, at + 1, count - at);
        children[at] = child;
        count++;
        if (child instanceof DirInode) {
            subdirs++;
        }
        child.parent = this;
    }

    void remove(Inode child) {
        int i = find(child.name);
        if (i < 0 || children[i] != child) {
            throw new IllegalStateException("not a child: " + child.name());
        }
        System.arraycopy(children, i + 1, children, i, count - i - 1);
        children[--count] = null;
        if (child instanceof DirInode) {
            subdirs--;
        }
        if (count == 0) {
            children = EMPTY;
        } else if (children.length > 16 && count < children.length / 4) {
            children = Arrays.copyOf(children, count * 2);
        }
        child.parent = null;
    }

    private int find(byte[] name) {
        if (count > 0 && Arrays.compareUnsigned(children[count - 1].name, name) < 0) {
            return -(count + 1); // after the last: names created in order, and every checkpoint load
        }
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(children[mid].name, name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
