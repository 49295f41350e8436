package dev.grainfs.daemons.master;

import dev.grainfs.daemons.master.op.MasterOp;
import java.io.IOException;

/**
 * Where applied operations go to become durable. {@link #append} is called under the master's
 * write lock in apply order and must be cheap; {@link #sync} is called after the lock is released
 * and returns once every op up to txid is durable (concurrent syncs share one disk flush).
 */
public interface Journal extends AutoCloseable {
    long append(MasterOp op) throws IOException;

    void sync(long txid) throws IOException;

    /** Every op up to this txid is durable. */
    long durableTxid();

    /** Txid of the last op appended (durable or not). */
    long lastTxid();

    @Override
    void close() throws IOException;
}
