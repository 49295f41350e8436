package dev.grainfs.core.client;

/**
 * Told how each piece a sequential read needed was found, for a mount's read-ahead metrics. Called on
 * the reading thread with the file's lock held, so it must be cheap, thread-safe, and never throw.
 */
@FunctionalInterface
public interface ReadObserver {
    ReadObserver NONE = fromReadAhead -> { };

    /**
     * A read used a piece for the first time: {@code fromReadAhead} when an earlier read had already
     * requested it ahead (a read-ahead hit), false when this read had to request it itself (a miss).
     */
    void piece(boolean fromReadAhead);
}
