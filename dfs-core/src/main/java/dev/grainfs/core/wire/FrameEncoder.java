package dev.grainfs.core.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/** Writes a {@link Frame} as prefix + header + payload without copying the payload (a composite buffer). */
public final class FrameEncoder extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Frame f)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf prefix = ctx.alloc().buffer(Frame.PREFIX_BYTES);
        prefix.writeShort(Frame.MAGIC)
                .writeByte(Frame.VERSION)
                .writeByte(f.kind())
                .writeLong(f.requestId())
                .writeInt(f.header().readableBytes())
                .writeInt(f.payload().readableBytes());
        CompositeByteBuf out = ctx.alloc().compositeBuffer(3);
        out.addComponent(true, prefix);
        out.addComponent(true, f.header());
        if (f.payload().isReadable()) {
            out.addComponent(true, f.payload());
        } else {
            f.payload().release();
        }
        ctx.write(out, promise);
    }
}
