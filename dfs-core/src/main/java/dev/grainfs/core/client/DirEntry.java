package dev.grainfs.core.client;

/** One name in a directory listing with its attributes. */
public record DirEntry(String name, FileStat stat) {
}
