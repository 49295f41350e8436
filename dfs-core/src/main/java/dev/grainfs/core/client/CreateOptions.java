package dev.grainfs.core.client;

/**
 * How to create a file: permission bits, replication and chunk size (0 = the cluster's default),
 * fail if it exists (exclusive), cut an existing file to zero (truncate).
 */
public record CreateOptions(int mode, int replication, long chunkSize, boolean exclusive, boolean truncate) {
    public static CreateOptions defaults() {
        return new CreateOptions(0644, 0, 0, false, true);
    }

    public CreateOptions withMode(int m) {
        return new CreateOptions(m, replication, chunkSize, exclusive, truncate);
    }

    public CreateOptions withReplication(int r) {
        return new CreateOptions(mode, r, chunkSize, exclusive, truncate);
    }

    public CreateOptions withChunkSize(long c) {
        return new CreateOptions(mode, replication, c, exclusive, truncate);
    }

    public CreateOptions exclusive(boolean e) {
        return new CreateOptions(mode, replication, chunkSize, e, truncate);
    }

    public CreateOptions truncate(boolean t) {
        return new CreateOptions(mode, replication, chunkSize, exclusive, t);
    }
}
