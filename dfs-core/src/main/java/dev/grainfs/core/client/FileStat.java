package dev.grainfs.core.client;

import dev.grainfs.core.wire.proto.Attr;
import dev.grainfs.core.wire.proto.FileType;

/** What stat says of a file, directory or symlink: an immutable view of the wire Attr. */
public record FileStat(long inode, FileType type, int mode, int uid, int gid, long size, long atimeNs, long mtimeNs,
                       long ctimeNs, int replication, long chunkSize, int nlink, long chunkCount, String symlinkTarget) {
    public static FileStat of(Attr a) {
        return new FileStat(a.getInode(), a.getType(), a.getMode(), a.getUid(), a.getGid(), a.getSize(), a.getAtimeNs(),
                a.getMtimeNs(), a.getCtimeNs(), a.getReplication(), a.getChunkSize(), a.getNlink(), a.getChunkCount(),
                a.getSymlinkTarget());
    }

    public boolean isDir() {
        return type == FileType.DIRECTORY;
    }

    public boolean isFile() {
        return type == FileType.REGULAR;
    }

    public boolean isSymlink() {
        return type == FileType.SYMLINK;
    }
}
