package dev.grainfs.daemons.chunkserver.store;

import java.io.IOException;

/** A replica failed a checksum check; it is remembered as corrupt and never served again until deleted. */
public final class ChunkCorruptException extends IOException {

    /** Block index used when the sidecar itself is bad, or the replica was marked corrupt before a restart. */
    public static final int SIDECAR = -1;

    private final long handle;
    private final int blockIndex;

    public ChunkCorruptException(long handle, int blockIndex, String detail) {
        super("chunk " + Long.toHexString(handle) + " is corrupt"
                + (blockIndex == SIDECAR ? "" : " at block " + blockIndex) + ": " + detail);
        this.handle = handle;
        this.blockIndex = blockIndex;
    }

    public ChunkCorruptException(long handle, int blockIndex) {
        this(handle, blockIndex, blockIndex == SIDECAR ? "sidecar or earlier mark" : "CRC32C mismatch");
    }

    public long handle() {
        return handle;
    }

    /** The 64 KiB block that failed, or {@link #SIDECAR}. */
    public int blockIndex() {
        return blockIndex;
    }
}
