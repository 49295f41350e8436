package dev.grainfs.core;

import dev.grainfs.core.wire.proto.StatusCode;
import java.io.IOException;

/** A failed GrainFS operation: a typed status (mapped to an errno) and a one-line reason. */
public class GrainException extends IOException {
    private final StatusCode status;
    private final String failedServer;

    public GrainException(StatusCode status, String message) {
        this(status, message, "");
    }

    public GrainException(StatusCode status, String message, String failedServer) {
        super(message);
        this.status = status;
        this.failedServer = failedServer == null ? "" : failedServer;
    }

    public StatusCode status() {
        return status;
    }

    /** The errno a POSIX caller should see for this failure. */
    public int errno() {
        return Errno.of(status);
    }

    /** The replica that a chain failure came from, or "" when unknown. */
    public String failedServer() {
        return failedServer;
    }

    public static GrainException of(StatusCode status, String fmt, Object... args) {
        return new GrainException(status, args.length == 0 ? fmt : String.format(fmt, args));
    }

    /** Unwraps the GrainException behind a CompletionException/ExecutionException, or wraps an I/O failure as EIO. */
    public static GrainException from(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof GrainException g) {
            return g;
        }
        String msg = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        GrainException g = new GrainException(StatusCode.EIO, msg);
        g.initCause(c);
        return g;
    }
}
