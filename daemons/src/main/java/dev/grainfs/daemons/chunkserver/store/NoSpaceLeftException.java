package dev.grainfs.daemons.chunkserver.store;

import java.io.IOException;

/** The disk under a data dir is full (errno ENOSPC on the wire); the replica is left as it was before the call. */
public final class NoSpaceLeftException extends IOException {

    public NoSpaceLeftException(String message, IOException cause) {
        super(message, cause);
    }
}
