package dev.grainfs.core;

import dev.grainfs.core.wire.proto.StatusCode;

/** Maps wire status codes to Linux errno values and to the words `ls` would print. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, EIO = 5, EAGAIN = 11, EACCES = 13, EEXIST = 17, EXDEV = 18,
            ENOTDIR = 20, EISDIR = 21, EINVAL = 22, EFBIG = 27, ENOSPC = 28, EROFS = 30, ENAMETOOLONG = 36,
            ENOTEMPTY = 39, ELOOP = 40, EBADMSG = 74, ENOTSUP = 95, ETIMEDOUT = 110, ESTALE = 116;

    private Errno() {
    }

    public static int of(StatusCode s) {
        return switch (s) {
            case OK -> 0;
            case ENOENT -> ENOENT;
            case EEXIST -> EEXIST;
            case ENOTDIR -> ENOTDIR;
            case EISDIR -> EISDIR;
            case ENOTEMPTY -> ENOTEMPTY;
            case EACCES, EAUTH -> EACCES;
            case EPERM -> EPERM;
            case ENOSPC -> ENOSPC;
            case EROFS, ENOTACTIVE -> EROFS;
            case ENAMETOOLONG -> ENAMETOOLONG;
            case EINVAL -> EINVAL;
            case EXDEV -> EXDEV;
            case ELOOP -> ELOOP;
            case EFBIG -> EFBIG;
            case ENOTSUP -> ENOTSUP;
            case ETIMEDOUT -> ETIMEDOUT;
            case EAGAIN -> EAGAIN;
            case EBADMSG -> EBADMSG;
            // internal conditions the client retries; if they escape, the caller sees an I/O error
            case ESTALE, ECORRUPT, ECHUNKFULL, ENOTPRIMARY, EIO, UNRECOGNIZED -> EIO;
        };
    }

    /** The strerror text for a status, as coreutils would print it. */
    public static String describe(StatusCode s) {
        return switch (s) {
            case OK -> "Success";
            case ENOENT -> "No such file or directory";
            case EEXIST -> "File exists";
            case ENOTDIR -> "Not a directory";
            case EISDIR -> "Is a directory";
            case ENOTEMPTY -> "Directory not empty";
            case EACCES -> "Permission denied";
            case EAUTH -> "Authentication failed";
            case EPERM -> "Operation not permitted";
            case ENOSPC -> "No space left on device";
            case EROFS -> "Read-only file system";
            case ENAMETOOLONG -> "File name too long";
            case EINVAL -> "Invalid argument";
            case EXDEV -> "Invalid cross-device link";
            case ELOOP -> "Too many levels of symbolic links";
            case EFBIG -> "File too large";
            case ENOTSUP -> "Operation not supported";
            case ETIMEDOUT -> "Connection timed out";
            case EAGAIN -> "Resource temporarily unavailable";
            case EBADMSG -> "Bad message";
            case ESTALE -> "Stale replica";
            case ECORRUPT -> "Checksum mismatch";
            case ECHUNKFULL -> "Chunk full";
            case ENOTPRIMARY -> "Not the primary replica";
            case ENOTACTIVE -> "Not the active master (read-only)";
            case EIO, UNRECOGNIZED -> "Input/output error";
        };
    }
}
