package dev.grainfs.daemons.master;

import dev.grainfs.core.wire.proto.Attr;
import dev.grainfs.core.wire.proto.FileType;
import dev.grainfs.daemons.master.namespace.DirInode;
import dev.grainfs.daemons.master.namespace.FileInode;
import dev.grainfs.daemons.master.namespace.Inode;
import dev.grainfs.daemons.master.namespace.SymlinkInode;

/** Turns inodes into the wire's Attr. */
final class Attrs {
    private Attrs() {
    }

    static Attr of(Inode i) {
        Attr.Builder b = Attr.newBuilder()
                .setInode(i.id())
                .setMode(i.mode())
                .setUid(i.uid())
                .setGid(i.gid())
                .setAtimeNs(i.atimeNs())
                .setMtimeNs(i.mtimeNs())
                .setCtimeNs(i.ctimeNs());
        if (i instanceof FileInode f) {
            b.setType(FileType.REGULAR).setSize(f.size()).setReplication(f.replication())
                    .setChunkSize(f.chunkSize()).setChunkCount(f.chunkCount()).setNlink(1);
        } else if (i instanceof DirInode d) {
            b.setType(FileType.DIRECTORY).setSize(4096).setNlink(d.nlink());
        } else if (i instanceof SymlinkInode s) {
            b.setType(FileType.SYMLINK).setSize(s.targetLength()).setSymlinkTarget(s.target()).setNlink(1);
        }
        return b.build();
    }
}
