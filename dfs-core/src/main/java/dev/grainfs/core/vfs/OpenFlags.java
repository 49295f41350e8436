package dev.grainfs.core.vfs;

/** The Linux open(2) flags a file system acts on, decoded from the raw int the kernel passes. */
public record OpenFlags(boolean read, boolean write, boolean create, boolean exclusive, boolean truncate,
                        boolean append) {
    public static final int O_ACCMODE = 03;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;

    public static OpenFlags of(int flags) {
        int acc = flags & O_ACCMODE;
        return new OpenFlags(acc == O_RDONLY || acc == O_RDWR, acc == O_WRONLY || acc == O_RDWR,
                (flags & O_CREAT) != 0, (flags & O_EXCL) != 0, (flags & O_TRUNC) != 0, (flags & O_APPEND) != 0);
    }

    /** The access(2) mask this open needs: R_OK and/or W_OK (O_TRUNC needs write too). */
    public int accessMask() {
        return (read ? Access.R_OK : 0) | (write || truncate ? Access.W_OK : 0);
    }
}
