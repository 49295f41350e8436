package dev.grainfs.core.vfs;

/** Joining and splitting the absolute, normalized paths the kernel hands a FUSE file system. */
public final class VfsPaths {
    private VfsPaths() {
    }

    /** The directory holding {@code path}; "/" for "/" and for top-level names. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    public static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /** Is {@code path} equal to {@code dir} or below it? */
    public static boolean isWithin(String path, String dir) {
        return path.equals(dir) || dir.equals("/") || (path.startsWith(dir) && path.charAt(dir.length()) == '/');
    }

    /** {@code path}, which is within {@code from}, moved to within {@code to}. */
    public static String moved(String path, String from, String to) {
        return path.equals(from) ? to : to + path.substring(from.length());
    }
}
