package dev.grainfs.daemons.chunkserver.store;

/** One line of a chunk report: a replica's handle, version and length in bytes. */
public record ReplicaInfo(long handle, long version, long length) {
}
