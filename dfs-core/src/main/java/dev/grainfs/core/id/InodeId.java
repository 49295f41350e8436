package dev.grainfs.core.id;

/** The master's number for a file, directory or symlink; 1 is the root directory. */
public record InodeId(long value) {
    public static final InodeId ROOT = new InodeId(1);

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
