package dev.grainfs.core.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Serializes protobuf headers to and from Netty buffers. */
public final class Messages {
    private Messages() {
    }

    public static ByteBuf encode(ByteBufAllocator alloc, MessageLite m) {
        int size = m.getSerializedSize();
        ByteBuf buf = alloc.heapBuffer(size);
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            m.writeTo(out);
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        }
        return buf;
    }

    public static Request parseRequest(ByteBuf header) throws InvalidProtocolBufferException {
        try {
            return Request.parseFrom(new ByteBufInputStream(header.duplicate()));
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    public static Response parseResponse(ByteBuf header) throws InvalidProtocolBufferException {
        try {
            return Response.parseFrom(new ByteBufInputStream(header.duplicate()));
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }
}
