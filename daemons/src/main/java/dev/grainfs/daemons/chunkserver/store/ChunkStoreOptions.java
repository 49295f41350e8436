package dev.grainfs.daemons.chunkserver.store;

/**
 * Settings of a {@link ChunkStore}, each default beside it.
 *
 * @param maxChunkSize    largest offset + length a write may reach (default 64 MiB, at most 4 GiB)
 * @param metaFlushBytes  bytes written to a replica between unforced CRC flushes to its sidecar (8 MiB)
 * @param maxOpenReplicas replicas kept open with their CRCs in memory; least recently used closed (1024)
 */
public record ChunkStoreOptions(long maxChunkSize, long metaFlushBytes, int maxOpenReplicas) {

    public static final long DEFAULT_MAX_CHUNK_SIZE = 64L << 20;
    public static final long DEFAULT_META_FLUSH_BYTES = 8L << 20;
    public static final int DEFAULT_MAX_OPEN_REPLICAS = 1024;
    /** Keeps a sidecar (4 bytes per 64 KiB block, preallocated) at 256 KiB at most. */
    public static final long MAX_CHUNK_SIZE_LIMIT = 4L << 30;

    public ChunkStoreOptions {
        if (maxChunkSize <= 0 || maxChunkSize > MAX_CHUNK_SIZE_LIMIT || metaFlushBytes <= 0
                || maxOpenReplicas <= 0) {
            throw new IllegalArgumentException("bad chunk store options: maxChunkSize " + maxChunkSize
                    + ", metaFlushBytes " + metaFlushBytes + ", maxOpenReplicas " + maxOpenReplicas);
        }
    }

    public static ChunkStoreOptions defaults() {
        return new ChunkStoreOptions(DEFAULT_MAX_CHUNK_SIZE, DEFAULT_META_FLUSH_BYTES, DEFAULT_MAX_OPEN_REPLICAS);
    }

    public ChunkStoreOptions withMaxChunkSize(long bytes) {
        return new ChunkStoreOptions(bytes, metaFlushBytes, maxOpenReplicas);
    }

    public ChunkStoreOptions withMetaFlushBytes(long bytes) {
        return new ChunkStoreOptions(maxChunkSize, bytes, maxOpenReplicas);
    }

    public ChunkStoreOptions withMaxOpenReplicas(int count) {
        return new ChunkStoreOptions(maxChunkSize, metaFlushBytes, count);
    }
}
