package dev.grainfs.core.vfs;

import dev.grainfs.core.client.ReadObserver;

/**
 * Told what the VFS's caches and write buffers did, for a mount's metrics. Called on the kernel's
 * request threads, concurrently, so an implementation must be cheap, thread-safe, and never throw.
 */
public interface VfsObserver extends ReadObserver {
    VfsObserver NONE = new VfsObserver() {
    };

    /** Why the writes buffered for an open file were pushed to its replicas and committed at the master. */
    enum FlushCause {
        /** close(2) of a descriptor (FUSE flush). */
        CLOSE,
        /** fsync(2) or fdatasync(2). */
        FSYNC,
        /** the last handle on the file was released. */
        RELEASE,
        /** chmod, chown or utimens of a file with buffered writes. */
        SETATTR,
        /** the open file was renamed. */
        RENAME,
        /** the mount went away with the file still open. */
        UNMOUNT
    }

    /** A stat (getattr, fgetattr) was answered from the attribute cache ({@code hit}) or asked of the master. */
    default void attrLookup(boolean hit) {
    }

    /** A burst of stat misses in one directory made the VFS list it once instead. */
    default void statAhead() {
    }

    /** Buffered writes of one open file were flushed. */
    default void flushed(FlushCause cause) {
    }

    @Override
    default void piece(boolean fromReadAhead) {
    }
}
