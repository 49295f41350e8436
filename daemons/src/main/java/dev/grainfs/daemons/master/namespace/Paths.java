package dev.grainfs.daemons.master.namespace;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits and checks absolute paths: no empty, "." or ".." components, names up to 255 bytes. */
public final class Paths {
    public static final int MAX_NAME_BYTES = 255;
    public static final int MAX_PATH_BYTES = 4096;

    private Paths() {
    }

    /** The UTF-8 components of an absolute path; "/" gives none. A trailing slash is allowed. */
    public static List<byte[]> split(String path) throws GrainException {
        if (path == null || path.isEmpty()) {
            throw GrainException.of(StatusCode.ENOENT, "empty path");
        }
        if (path.charAt(0) != '/') {
            throw GrainException.of(StatusCode.EINVAL, "%s: path must be absolute", path);
        }
        if (path.indexOf('\0') >= 0) {
            throw GrainException.of(StatusCode.EINVAL, "%s: path contains a NUL byte", path);
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw GrainException.of(StatusCode.ENAMETOOLONG, "path longer than %d bytes", MAX_PATH_BYTES);
        }
        List<byte[]> out = new ArrayList<>();
        int end = path.length();
        if (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        int start = 1;
        while (start < end) {
            int slash = path.indexOf('/', start);
            if (slash < 0 || slash > end) {
                slash = end;
            }
            String name = path.substring(start, slash);
            checkName(path, name);
            out.add(name.getBytes(StandardCharsets.UTF_8));
            start = slash + 1;
        }
        if (start == end && end < path.length() - 1) {
            throw GrainException.of(StatusCode.EINVAL, "%s: empty name in path", path);
        }
        return out;
    }

    static void checkName(String path, String name) throws GrainException {
        if (name.isEmpty()) {
            throw GrainException.of(StatusCode.EINVAL, "%s: empty name in path", path);
        }
        if (name.equals(".") || name.equals("..")) {
            throw GrainException.of(StatusCode.EINVAL, "%s: '.' and '..' are not allowed in paths", path);
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw GrainException.of(StatusCode.ENAMETOOLONG, "%s: name longer than %d bytes", path, MAX_NAME_BYTES);
        }
    }
}
