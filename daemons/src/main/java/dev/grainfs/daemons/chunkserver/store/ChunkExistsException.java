package dev.grainfs.daemons.chunkserver.store;

import java.io.IOException;

/** {@code create} found a replica of the chunk already (errno EEXIST on the wire). */
public final class ChunkExistsException extends IOException {

    private final long handle;

    public ChunkExistsException(long handle) {
        super("chunk " + Long.toHexString(handle) + " already exists");
        this.handle = handle;
    }

    public long handle() {
        return handle;
    }
}
