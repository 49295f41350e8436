package dev.grainfs.core.wire;

import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.StatusCode;

/**
 * Told once per request an {@link RpcServer} answered, for metrics. Called on whatever thread sent the
 * answer (an I/O thread or a handler's executor), so it must be cheap and thread-safe, and never throw.
 */
@FunctionalInterface
public interface RpcObserver {
    RpcObserver NONE = (op, status, nanos) -> { };

    /** {@code op} was answered with {@code status}, {@code nanos} after its frame was decoded. */
    void answered(Request.BodyCase op, StatusCode status, long nanos);
}
