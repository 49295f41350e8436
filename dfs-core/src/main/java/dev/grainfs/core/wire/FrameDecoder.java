package dev.grainfs.core.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Cuts the byte stream into {@link Frame}s. Magic, version, kind and both lengths are checked from
 * the 20-byte prefix before anything is allocated, so a hostile peer cannot make us buffer without
 * bound; then header and payload are each filled into a buffer of exactly their size (a payload
 * that arrives whole in one read is taken as a slice, without a copy). This avoids the repeated
 * re-copying of a growing cumulation buffer that large frames cost a ByteToMessageDecoder.
 * Errors are raised as {@link DecoderException}s; the pipeline closes the connection.
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private final int maxPayload;
    private final ByteBuf prefix = Unpooled.buffer(Frame.PREFIX_BYTES, Frame.PREFIX_BYTES);
    private byte kind;
    private long requestId;
    private ByteBuf header;
    private ByteBuf payload;
    private boolean failed;

    public FrameDecoder() {
        this(Frame.MAX_PAYLOAD_BYTES);
    }

    public FrameDecoder(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && !failed) {
                if (header == null) {
                    prefix.writeBytes(in, Math.min(prefix.writableBytes(), in.readableBytes()));
                    if (prefix.isWritable()) {
                        return;
                    }
                    startFrame(ctx);
                }
                if (header.isWritable()) {
                    header.writeBytes(in, Math.min(header.writableBytes(), in.readableBytes()));
                }
                if (!header.isWritable() && payload == null) {
                    int len = (int) prefix.getUnsignedInt(16);
                    if (len == 0) {
                        payload = Unpooled.EMPTY_BUFFER;
                    } else if (in.readableBytes() >= len) {
                        payload = in.readRetainedSlice(len); // arrived whole: no copy
                    } else {
                        payload = ctx.alloc().directBuffer(len, len);
                    }
                }
                if (payload != null && payload.isWritable()) {
                    payload.writeBytes(in, Math.min(payload.writableBytes(), in.readableBytes()));
                }
                if (payload != null && !payload.isWritable()) {
                    Frame f = new Frame(kind, requestId, header, payload);
                    header = null;
                    payload = null;
                    prefix.clear();
                    ctx.fireChannelRead(f);
                }
            }
        } finally {
            in.release();
        }
    }

    private void startFrame(ChannelHandlerContext ctx) {
        short magic = prefix.getShort(0);
        byte version = prefix.getByte(2);
        kind = prefix.getByte(3);
        requestId = prefix.getLong(4);
        long headerLen = prefix.getUnsignedInt(12);
        long payloadLen = prefix.getUnsignedInt(16);
        if (magic != Frame.MAGIC) {
            throw fail(new CorruptedFrameException(String.format("bad magic 0x%04x", magic & 0xffff)));
        }
        if (version != Frame.VERSION) {
            throw fail(new CorruptedFrameException("unsupported protocol version " + version));
        }
        if (kind != Frame.REQUEST && kind != Frame.RESPONSE) {
            throw fail(new CorruptedFrameException("unknown frame kind " + kind));
        }
        if (headerLen > Frame.MAX_HEADER_BYTES) {
            throw fail(new TooLongFrameException("header of " + headerLen + " bytes exceeds " + Frame.MAX_HEADER_BYTES));
        }
        if (payloadLen > maxPayload) {
            throw fail(new TooLongFrameException("payload of " + payloadLen + " bytes exceeds " + maxPayload));
        }
        header = ctx.alloc().heapBuffer((int) headerLen, (int) headerLen);
    }

    private DecoderException fail(DecoderException e) {
        failed = true;
        return e;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        if (header != null) {
            header.release();
            header = null;
        }
        if (payload != null) {
            payload.release();
            payload = null;
        }
    }
}
