package dev.grainfs.core.id;

/** The cluster-wide unique 64-bit name of a chunk. */
public record ChunkHandle(long value) {
    @Override
    public String toString() {
        return String.format("%016x", value);
    }
}
