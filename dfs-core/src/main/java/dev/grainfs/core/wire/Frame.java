package dev.grainfs.core.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;

/**
 * One message on a GrainFS connection: a protobuf header and an optional raw payload.
 *
 * <pre>
 *  0      2     3      4                 12            16             20
 *  +------+-----+------+-----------------+-------------+--------------+----------------+-------------+
 *  | 'G''F'| ver | kind | request id (u64)| header len  | payload len  | header bytes   | payload     |
 *  |      |     |      |                 | (u32)       | (u32)        | (protobuf)     | (raw bytes) |
 *  +------+-----+------+-----------------+-------------+--------------+----------------+-------------+
 * </pre>
 * kind is {@link #REQUEST} or {@link #RESPONSE}; a response carries the id of its request, so one
 * connection carries many requests at once. Chunk bytes only ever travel as the payload.
 * The frame owns its two buffers; whoever consumes it releases them ({@link #release()}).
 */
public record Frame(byte kind, long requestId, ByteBuf header, ByteBuf payload) {
    public static final short MAGIC = 0x4746; // "GF"
    public static final byte VERSION = 1;
    public static final byte REQUEST = 1;
    public static final byte RESPONSE = 2;
    public static final int PREFIX_BYTES = 20;
    public static final int MAX_HEADER_BYTES = 1 << 20;
    public static final int MAX_PAYLOAD_BYTES = 16 << 20;

    public Frame {
        if (payload == null) {
            payload = Unpooled.EMPTY_BUFFER;
        }
    }

    public void release() {
        ReferenceCountUtil.safeRelease(header);
        if (payload.refCnt() > 0) {
            ReferenceCountUtil.safeRelease(payload);
        }
    }
}
