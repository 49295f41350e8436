package dev.grainfs.core.client;

/** Cluster capacity and use, as df shows it. */
public record FsStats(long capacity, long used, long free, long files, long chunks, int liveServers) {
}
