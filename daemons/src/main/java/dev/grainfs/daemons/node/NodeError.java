package dev.grainfs.daemons.node;

import dev.grainfs.core.GrainException;

/** A request that gets an error reply: one of the protocol's error codes and a one-line text. */
final class NodeError extends Exception {
    static final int NOT_SUPPORTED = 10;
    static final int UNAVAILABLE = 11;
    static final int MALFORMED = 12;
    static final int CRASH = 13;
    static final int ABORT = 14;
    static final int NOT_FOUND = 20;
    static final int EXISTS = 21;
    static final int PRECONDITION = 22;

    private final int code;

    NodeError(int code, String fmt, Object... args) {
        // no stack trace: these are answers, not bugs, and a harness may send many of them
        super(args.length == 0 ? fmt : String.format(fmt, args), null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    /** The protocol code for a failure of the master's own classes (their StatusCode vocabulary). */
    static NodeError of(GrainException e) {
        int code = switch (e.status()) {
            case ENOENT -> NOT_FOUND;
            case EEXIST -> EXISTS;
            case ENOTDIR, EISDIR, ENOTEMPTY, ELOOP, ENOTPRIMARY, ESTALE, EFBIG, ENOSPC -> PRECONDITION;
            case EINVAL, ENAMETOOLONG, EBADMSG -> MALFORMED;
            case EAGAIN, ETIMEDOUT -> UNAVAILABLE;
            case ENOTSUP -> NOT_SUPPORTED;
            default -> CRASH;
        };
        return new NodeError(code, "%s", e.getMessage());
    }
}
