package dev.grainfs.core.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Cuts the byte stream into {@link Frame}s; checks magic, version and length limits before
 * buffering anything, so a hostile peer cannot make us allocate without bound.
 * Header and payload are retained slices of the inbound buffer (no copy).
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxPayload;

    public FrameDecoder() {
        this(Frame.MAX_PAYLOAD_BYTES);
    }

    public FrameDecoder(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= Frame.PREFIX_BYTES) {
            int start = in.readerIndex();
            short magic = in.getShort(start);
            byte version = in.getByte(start + 2);
            byte kind = in.getByte(start + 3);
            long requestId = in.getLong(start + 4);
            long headerLen = in.getUnsignedInt(start + 12);
            long payloadLen = in.getUnsignedInt(start + 16);
            if (magic != Frame.MAGIC) {
                throw new CorruptedFrameException(String.format("bad magic 0x%04x", magic & 0xffff));
            }
            if (version != Frame.VERSION) {
                throw new CorruptedFrameException("unsupported protocol version " + version);
            }
            if (kind != Frame.REQUEST && kind != Frame.RESPONSE) {
                throw new CorruptedFrameException("unknown frame kind " + kind);
            }
            if (headerLen > Frame.MAX_HEADER_BYTES) {
                throw new TooLongFrameException("header of " + headerLen + " bytes exceeds " + Frame.MAX_HEADER_BYTES);
            }
            if (payloadLen > maxPayload) {
                throw new TooLongFrameException("payload of " + payloadLen + " bytes exceeds " + maxPayload);
            }
            long total = Frame.PREFIX_BYTES + headerLen + payloadLen;
            if (in.readableBytes() < total) {
                return;
            }
            in.skipBytes(Frame.PREFIX_BYTES);
            ByteBuf header = in.readRetainedSlice((int) headerLen);
            ByteBuf payload = in.readRetainedSlice((int) payloadLen);
            out.add(new Frame(kind, requestId, header, payload));
        }
    }
}
