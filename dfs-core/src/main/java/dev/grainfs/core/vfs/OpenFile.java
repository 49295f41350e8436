package dev.grainfs.core.vfs;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.client.GrainFile;
import java.nio.ByteBuffer;

/**
 * One file open in the VFS: the GrainFile every handle on that inode shares, plus what stat must
 * show before the buffered writes reach the master (the size written so far and the time of the
 * last write). Thread-safe: the GrainFile serializes data calls; the bookkeeping is volatile.
 */
final class OpenFile {
    private final GrainFile file;
    private volatile String path;
    private volatile long size;
    /** Wall-clock ns of the first write since the last flush; 0 when nothing is buffered. */
    private volatile long dirtySinceNs;
    /** Permission bits to set once the last handle closes (-1 = none); see Vfs#create. */
    private volatile int modeOnClose = -1;

    OpenFile(GrainFile file, String path) {
        this.file = file;
        this.path = path;
        this.size = file.size();
    }

    long inode() {
        return file.inode();
    }

    String path() {
        return path;
    }

    void movedTo(String newPath) {
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

    int read(long offset, ByteBuffer dst) throws GrainException {
        return file.read(offset, dst);
    }

    void write(long offset, ByteBuffer src) throws GrainException {
        long end = offset + src.remaining();
        file.write(offset, src);
        if (dirtySinceNs == 0) {
            dirtySinceNs = System.currentTimeMillis() * 1_000_000L;
        }
        synchronized (this) {
            size = Math.max(size, end);
        }
    }

    /** Data on every replica and the size at the master; returns whether anything was written. */
    boolean flush() throws GrainException {
        boolean was = dirty();
        file.flush();
        dirtySinceNs = 0;
        return was;
    }

    boolean fsync() throws GrainException {
        boolean was = dirty();
        file.fsync();
        dirtySinceNs = 0;
        return was;
    }

    void truncate(long newSize) throws GrainException {
        file.truncate(newSize);
        dirtySinceNs = 0;
        synchronized (this) {
            size = newSize;
        }
    }

    void close() throws GrainException {
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
