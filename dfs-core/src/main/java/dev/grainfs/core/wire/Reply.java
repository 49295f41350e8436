package dev.grainfs.core.wire;

import dev.grainfs.core.wire.proto.Response;
import io.netty.buffer.ByteBuf;

/** A successful answer: the header and the raw payload, which the receiver must release. */
public record Reply(Response response, ByteBuf payload) implements AutoCloseable {
    @Override
    public void close() {
        if (payload.refCnt() > 0) {
            payload.release();
        }
    }
}
