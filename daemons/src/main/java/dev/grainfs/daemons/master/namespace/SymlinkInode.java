package dev.grainfs.daemons.master.namespace;

import java.nio.charset.StandardCharsets;

/** A symbolic link: its target text, stored as given and never resolved by the master. */
public final class SymlinkInode extends Inode {
    private final byte[] target;

    SymlinkInode(long id, byte[] name, int uid, int gid, long timeNs, String target) {
        super(id, name, 0777, uid, gid, timeNs);
        this.target = target.getBytes(StandardCharsets.UTF_8);
    }

    public String target() {
        return new String(target, StandardCharsets.UTF_8);
    }

    public int targetLength() {
        return target.length;
    }
}
