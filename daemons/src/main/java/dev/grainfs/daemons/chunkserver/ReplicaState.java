package dev.grainfs.daemons.chunkserver;

/**
 * The in-memory, per-chunk state of the write path: the lease this server holds as primary and
 * the serial numbers it hands out or has applied. Its monitor orders all mutations of the chunk.
 */
final class ReplicaState {
    final long handle;
    /** System.nanoTime() deadline of our primary lease; 0 = none. */
    long leaseDeadlineNs;
    long nextSerial;
    long lastAppliedSerial;
    /** Last time a client mutation arrived while we were primary (for lease renewal). */
    long lastClientWriteNs;
    /** Length including mutations queued for the disk; -1 until first read from the store. */
    long length = -1;

    ReplicaState(long handle) {
        this.handle = handle;
    }

    boolean leaseValid(long nowNs) {
        return leaseDeadlineNs != 0 && nowNs < leaseDeadlineNs;
    }
}
