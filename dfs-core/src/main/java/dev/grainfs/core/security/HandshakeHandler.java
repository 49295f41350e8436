package dev.grainfs.core.security;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mutual cluster-key challenge-response that opens every connection, before any frame is
 * decoded. It sits in front of the frame decoder and removes itself once both sides have proved
 * they hold the key; bytes that follow go on to the frame decoder untouched.
 *
 * <pre>
 *  server -> client  HELLO   'G''F''H''S' | version 1 | server nonce (16)                        21 bytes
 *  client -> server  PROOF   'G''F''H''S' | client nonce (16) | HMAC(k, "client"|sn|cn) (32)     52 bytes
 *  server -> client  ACCEPT  1 | HMAC(k, "server"|sn|cn) (32)                                      33 bytes
 *                    REJECT  0, then the server closes
 * </pre>
 * k is derived from the cluster key for this purpose only; both nonces are fresh per connection,
 * so a recorded exchange cannot be replayed. The client sends no request before ACCEPT, and the
 * server serves none before a valid PROOF.
 */
public final class HandshakeHandler extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);
    static final byte[] MAGIC = "GFHS".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    static final int NONCE = 16;
    static final int MAC = 32;
    static final int HELLO_BYTES = 4 + 1 + NONCE;
    static final int PROOF_BYTES = 4 + NONCE + MAC;
    static final int ANSWER_BYTES = 1 + MAC;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CLIENT = "client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER = "server".getBytes(StandardCharsets.US_ASCII);

    private final boolean serverSide;
    private final byte[] macKey;
    private final String peerName;
    private final String serviceName;
    private final long timeoutMs;
    private final byte[] serverNonce = new byte[NONCE];
    private final byte[] clientNonce = new byte[NONCE];
    private Promise<Void> done;
    private ScheduledFuture<?> timeout;
    private boolean finished;
    private boolean proofSent;

    private HandshakeHandler(boolean serverSide, ClusterKey key, String peerName, String serviceName, long timeoutMs) {
        this.serverSide = serverSide;
        this.macKey = key.derive("handshake");
        this.peerName = peerName;
        this.serviceName = serviceName;
        this.timeoutMs = timeoutMs;
    }

    /** The server end: {@code serviceName} names the daemon in its log lines. */
    public static HandshakeHandler server(ClusterKey key, String serviceName, long timeoutMs) {
        return new HandshakeHandler(true, key, null, serviceName, timeoutMs);
    }

    /** The client end, connecting to {@code peerName} (HOST:PORT, for error messages). */
    public static HandshakeHandler client(ClusterKey key, String peerName, long timeoutMs) {
        return new HandshakeHandler(false, key, peerName, null, timeoutMs);
    }

    /**
     * Completes when the peer has proved the key, or fails with a {@link GrainException} (EAUTH)
     * saying why. Valid once the handler is in a pipeline.
     */
    public Promise<Void> done() {
        return done;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        done = ctx.executor().newPromise();
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (timeout != null) {
            return;
        }
        timeout = ctx.executor().schedule(() -> fail(ctx, serverSide
                ? "no cluster-key proof within " + timeoutMs + " ms"
                : "no cluster-key handshake from " + peerName + " within " + timeoutMs
                        + " ms (does it run without a cluster key?)"), timeoutMs, TimeUnit.MILLISECONDS);
        if (serverSide) {
            RANDOM.nextBytes(serverNonce);
            ByteBuf hello = ctx.alloc().buffer(HELLO_BYTES);
            hello.writeBytes(MAGIC).writeByte(VERSION).writeBytes(serverNonce);
            ctx.writeAndFlush(hello);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            in.skipBytes(in.readableBytes()); // failed: the channel is closing
            return;
        }
        if (serverSide) {
            if (in.readableBytes() >= 4 && !startsWithMagic(in)) {
                fail(ctx, "peer sent no cluster-key proof (a client or daemon without the cluster key?)");
                return;
            }
            if (in.readableBytes() < PROOF_BYTES) {
                return;
            }
            in.skipBytes(4);
            in.readBytes(clientNonce);
            byte[] mac = new byte[MAC];
            in.readBytes(mac);
            if (!ClusterKey.same(mac, ClusterKey.hmacWith(macKey, CLIENT, serverNonce, clientNonce))) {
                ByteBuf reject = ctx.alloc().buffer(1).writeByte(0);
                ctx.writeAndFlush(reject);
                fail(ctx, "cluster key rejected (the peer holds another key)");
                return;
            }
            ByteBuf accept = ctx.alloc().buffer(ANSWER_BYTES);
            accept.writeByte(1).writeBytes(ClusterKey.hmacWith(macKey, SERVER, serverNonce, clientNonce));
            ctx.writeAndFlush(accept);
            succeed(ctx);
        } else if (!sentProof()) {
            if (in.readableBytes() >= 4 && !startsWithMagic(in)) {
                fail(ctx, peerName + " sent no cluster-key handshake (does it run without a cluster key?)");
                return;
            }
            if (in.readableBytes() < HELLO_BYTES) {
                return;
            }
            in.skipBytes(4);
            byte version = in.readByte();
            if (version != VERSION) {
                fail(ctx, peerName + " speaks cluster-key handshake version " + version + ", we speak " + VERSION);
                return;
            }
            in.readBytes(serverNonce);
            RANDOM.nextBytes(clientNonce);
            ByteBuf proof = ctx.alloc().buffer(PROOF_BYTES);
            proof.writeBytes(MAGIC).writeBytes(clientNonce).writeBytes(ClusterKey.hmacWith(macKey, CLIENT, serverNonce, clientNonce));
            ctx.writeAndFlush(proof);
            proofSent = true;
        } else {
            if (in.readableBytes() >= 1 && in.getByte(in.readerIndex()) != 1) {
                fail(ctx, "cluster key rejected by " + peerName);
                return;
            }
            if (in.readableBytes() < ANSWER_BYTES) {
                return;
            }
            in.skipBytes(1);
            byte[] mac = new byte[MAC];
            in.readBytes(mac);
            if (!ClusterKey.same(mac, ClusterKey.hmacWith(macKey, SERVER, serverNonce, clientNonce))) {
                fail(ctx, peerName + " did not prove it holds the cluster key");
                return;
            }
            succeed(ctx);
        }
    }

    private boolean sentProof() {
        return proofSent;
    }

    private static boolean startsWithMagic(ByteBuf in) {
        int r = in.readerIndex();
        for (int i = 0; i < 4; i++) {
            if (in.getByte(r + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private void succeed(ChannelHandlerContext ctx) {
        finished = true;
        timeout.cancel(false);
        done.trySuccess(null);
        ctx.pipeline().remove(this); // what is left in the buffer goes on to the frame decoder
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        if (finished) {
            return;
        }
        finished = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (serverSide) {
            log.warn("{}: refused connection from {}: {}", serviceName, ctx.channel().remoteAddress(), why);
        }
        done.tryFailure(new GrainException(StatusCode.EAUTH, why, serverSide ? "" : peerName));
        ctx.channel().writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            finished = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            String why = serverSide ? "peer closed the connection during the cluster-key handshake"
                    : peerName + " closed the connection during the cluster-key handshake (cluster key rejected?)";
            if (serverSide) {
                log.warn("{}: connection from {} closed before the cluster-key handshake completed",
                        serviceName, ctx.channel().remoteAddress());
            }
            done.tryFailure(new GrainException(StatusCode.EAUTH, why, serverSide ? "" : peerName));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!finished) {
            fail(ctx, "handshake failed: " + cause);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
