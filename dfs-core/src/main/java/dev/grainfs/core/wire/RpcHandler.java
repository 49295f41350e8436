package dev.grainfs.core.wire;

/**
 * A service behind an {@link RpcServer}.
 * Called on the connection's event loop thread, one call at a time per connection, in arrival order;
 * an implementation that blocks hands the call to its own executor. Every call must end in exactly
 * one {@link RpcCall#reply} or {@link RpcCall#fail}.
 */
@FunctionalInterface
public interface RpcHandler {
    void handle(RpcCall call);
}
