package dev.grainfs.daemons.chunkserver.store;

import java.io.IOException;

/** The store holds no replica of the chunk (errno ENOENT on the wire). */
public final class ChunkNotFoundException extends IOException {

    private final long handle;

    public ChunkNotFoundException(long handle) {
        super("no replica of chunk " + Long.toHexString(handle));
        this.handle = handle;
    }

    public long handle() {
        return handle;
    }
}
