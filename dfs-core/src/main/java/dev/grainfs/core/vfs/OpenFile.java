package dev.grainfs.core.vfs;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.wire.proto.Caller;
import java.nio.ByteBuffer;

/**
 * One file open in the VFS: the GrainFile every handle on that inode shares, plus what stat must
 * show before the buffered writes reach the master (the size written so far and the time of the
 * first write since the last flush). Thread-safe: data calls are serialized on this object (the
 * GrainFile is replaced when the file is renamed); what stat reads is volatile.
 */
final class OpenFile {
    /** Opens the file again under its new name (GrainFile keeps the name it was opened by). */
    interface Reopener {
        GrainFile open(String path) throws GrainException;
    }

    private final long inode;
    private final dev.grainfs.core.client.ReadObserver reads;
    private GrainFile file;
    private volatile String path;
    private volatile long size;
    /** Wall-clock ns of the first write since the last flush; 0 when nothing is buffered. */
    private volatile long dirtySinceNs;
    /** Permission bits to set once the last handle closes (-1 = none); see Vfs#create. */
    private volatile int modeOnClose = -1;
    private final Caller io;

    /** {@code io}: the identity the file was opened with, used again for its follow-up calls. */
    OpenFile(GrainFile file, String path, Caller io, dev.grainfs.core.client.ReadObserver reads) {
        this.reads = reads;
        file.observeReads(reads);
        this.file = file;
        this.io = io;
        this.inode = file.inode();
        this.path = path;
        this.size = file.size();
    }

    Caller io() {
        return io;
    }

    long inode() {
        return inode;
    }

    String path() {
        return path;
    }

    /** The file was renamed: flush, then continue on a GrainFile opened by the new name. */
    synchronized void movedTo(String newPath, Reopener reopener) throws GrainException {
        file.flush();
        dirtySinceNs = 0;
        GrainFile fresh = reopener.open(newPath);
        if (fresh.inode() != inode) { // replaced again meanwhile: keep what we have
            fresh.close();
            path = newPath;
            return;
        }
        file.close();
        fresh.observeReads(reads);
        file = fresh;
        path = newPath;
    }

    boolean dirty() {
        return dirtySinceNs != 0;
    }

    void setModeOnClose(int mode) {
        modeOnClose = mode;
    }

    int modeOnClose() {
        return modeOnClose;
    }

    synchronized int read(long offset, ByteBuffer dst) throws GrainException {
        return file.read(offset, dst);
    }

    synchronized void write(long offset, ByteBuffer src) throws GrainException {
        long end = offset + src.remaining();
        file.write(offset, src);
        if (dirtySinceNs == 0) {
            dirtySinceNs = System.currentTimeMillis() * 1_000_000L;
        }
        size = Math.max(size, end);
    }

    /** Data on every replica and the size at the master; returns whether anything was written. */
    synchronized boolean flush() throws GrainException {
        boolean was = dirty();
        file.flush();
        dirtySinceNs = 0;
        return was;
    }

    synchronized boolean fsync() throws GrainException {
        boolean was = dirty();
        file.fsync();
        dirtySinceNs = 0;
        return was;
    }

    synchronized void truncate(long newSize) throws GrainException {
        file.truncate(newSize);
        dirtySinceNs = 0;
        size = newSize;
    }

    synchronized void close() throws GrainException {
        file.close();
        dirtySinceNs = 0;
    }

    /** What stat says, corrected by what this mount wrote and the master has not yet been told. */
    FileStat overlay(FileStat st) {
        long s = size;
        long t = dirtySinceNs;
        if (s <= st.size() && t <= st.mtimeNs()) {
            return st;
        }
        long mtime = Math.max(st.mtimeNs(), t);
        return new FileStat(st.inode(), st.type(), st.mode(), st.uid(), st.gid(), Math.max(s, st.size()),
                st.atimeNs(), mtime, Math.max(st.ctimeNs(), mtime), st.replication(), st.chunkSize(), st.nlink(),
                st.chunkCount(), st.symlinkTarget());
    }
}
