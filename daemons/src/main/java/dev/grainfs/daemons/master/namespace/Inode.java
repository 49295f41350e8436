package dev.grainfs.daemons.master.namespace;

import java.nio.charset.StandardCharsets;

/**
 * A node of the namespace tree. Fields are plain and mutable: they change only under the master's
 * namespace lock, through MasterState.apply. Kept small on purpose: a million of these live in the heap
 * (a file inode is 80 bytes with compressed oops: 12 header, 50 here, 18 in FileInode).
 */
public abstract sealed class Inode permits DirInode, FileInode, SymlinkInode {
    final long id;
    byte[] name;              // UTF-8, empty for the root
    DirInode parent;
    short mode;               // permission bits (07777)
    int uid;
    int gid;
    long mtimeNs;
    long ctimeNs;
    long atimeNs;

    Inode(long id, byte[] name, int mode, int uid, int gid, long timeNs) {
        this.id = id;
        this.name = name;
        this.mode = (short) (mode & 07777);
        this.uid = uid;
        this.gid = gid;
        this.mtimeNs = timeNs;
        this.ctimeNs = timeNs;
        this.atimeNs = timeNs;
    }

    public long id() {
        return id;
    }

    public String name() {
        return new String(name, StandardCharsets.UTF_8);
    }

    byte[] nameBytes() {
        return name;
    }

    public DirInode parent() {
        return parent;
    }

    public int mode() {
        return mode;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    public long mtimeNs() {
        return mtimeNs;
    }

    public long ctimeNs() {
        return ctimeNs;
    }

    public long atimeNs() {
        return atimeNs;
    }

    public void setMode(int mode, long nowNs) {
        this.mode = (short) (mode & 07777);
        this.ctimeNs = nowNs;
    }

    public void setOwner(int uid, int gid, long nowNs) {
        this.uid = uid;
        this.gid = gid;
        this.ctimeNs = nowNs;
    }

    public void setTimes(long atimeNs, long mtimeNs, long nowNs) {
        if (atimeNs >= 0) {
            this.atimeNs = atimeNs;
        }
        if (mtimeNs >= 0) {
            this.mtimeNs = mtimeNs;
        }
        this.ctimeNs = nowNs;
    }

    public void touchCtime(long nowNs) {
        this.ctimeNs = nowNs;
    }

    /** Full path from the root, for messages and fsck. */
    public String path() {
        if (parent == null) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (Inode i = this; i.parent != null; i = i.parent) {
            sb.insert(0, i.name()).insert(0, '/');
        }
        return sb.toString();
    }

    public boolean isDir() {
        return this instanceof DirInode;
    }
}
