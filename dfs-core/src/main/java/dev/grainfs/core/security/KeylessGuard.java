package dev.grainfs.core.security;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * On a client without a cluster key: recognises a server's handshake HELLO in the first bytes it
 * sends and fails the connection with a clear "needs a cluster key" error instead of a garbled
 * frame; otherwise removes itself at once and passes every byte on.
 */
public final class KeylessGuard extends ByteToMessageDecoder {
    private final String peerName;

    public KeylessGuard(String peerName) {
        this.peerName = peerName;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HandshakeHandler.MAGIC.length) {
            return;
        }
        for (int i = 0; i < HandshakeHandler.MAGIC.length; i++) {
            if (in.getByte(in.readerIndex() + i) != HandshakeHandler.MAGIC[i]) {
                ctx.pipeline().remove(this);
                return;
            }
        }
        in.skipBytes(in.readableBytes());
        ctx.fireExceptionCaught(new GrainException(StatusCode.EAUTH,
                peerName + " requires a cluster key; pass --cluster-key FILE (or set $GRAINFS_CLUSTER_KEY)", peerName));
        ctx.close();
    }
}
