package dev.grainfs.core.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatusCode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections and hands each decoded request to an {@link RpcHandler}.
 * A malformed frame closes only that connection; a malformed header gets EBADMSG; nothing a peer
 * sends can take the server down, and what one peer address can make it hold (connections,
 * unanswered requests, unread answers) is bounded by the {@link ConnectionLimits} of its
 * {@link WireSecurity} (see {@link PeerGate}).
 *
 * Pipeline: [tls] -> [handshake] -> FrameDecoder -> FrameEncoder -> Dispatcher (-> handler);
 * see {@link WireSecurity}.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

    private final String name;
    private final RpcHandler handler;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final int maxPayload;
    private final WireSecurity security;
    private final PeerGate gate;
    private Channel serverChannel;
    private volatile RpcObserver observer = RpcObserver.NONE;

    public RpcServer(String name, RpcHandler handler, int workerThreads) {
        this(name, handler, workerThreads, Frame.MAX_PAYLOAD_BYTES);
    }

    public RpcServer(String name, RpcHandler handler, int workerThreads, int maxPayload) {
        this(name, handler, workerThreads, maxPayload, WireSecurity.NONE);
    }

    /** A server whose connections must first pass {@code security} (cluster key, TLS). */
    public RpcServer(String name, RpcHandler handler, int workerThreads, WireSecurity security) {
        this(name, handler, workerThreads, Frame.MAX_PAYLOAD_BYTES, security);
    }

    public RpcServer(String name, RpcHandler handler, int workerThreads, int maxPayload, WireSecurity security) {
        this.security = security;
        this.name = name;
        this.handler = handler;
        this.boss = Transports.group(1, name + "-accept");
        this.workers = Transports.group(workerThreads, name + "-io");
        this.maxPayload = maxPayload;
        this.gate = new PeerGate(name, security.limits());
    }

    /** Sets who is told of every answered request (metrics); call before {@link #start}. */
    public RpcServer observer(RpcObserver o) {
        this.observer = o == null ? RpcObserver.NONE : o;
        return this;
    }

    /** Binds and starts serving; port 0 picks a free port. Returns the bound address. */
    public HostPort start(String bindHost, int port) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Transports.RECV_ALLOCATOR)
                .childOption(ChannelOption.SO_RCVBUF, Transports.SOCKET_BUFFER)
                .childOption(ChannelOption.SO_SNDBUF, Transports.SOCKET_BUFFER)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // a peer that does not read its answers stops being read once this much waits for it
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 << 20, 64 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        PeerGate.Conn conn = gate.admit(ch);
                        if (conn == null) {
                            ch.close();
                            return;
                        }
                        channels.add(ch);
                        ch.pipeline()
                                // answers produced while reading a burst of requests (or queued by
                                // other threads meanwhile) leave in one write, not one syscall each
                                .addLast("flushConsolidation", new FlushConsolidationHandler(256, true))
                                .addLast("frameDecoder", new FrameDecoder(maxPayload))
                                .addLast("frameEncoder", new FrameEncoder())
                                .addLast("dispatcher", new Dispatcher(conn));
                        security.secureServer(ch, name);
                    }
                });
        try {
            serverChannel = b.bind(bindHost, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + bindHost + ":" + port);
        } catch (Exception e) {
            throw new IOException("cannot listen on " + bindHost + ":" + port + ": " + e.getMessage(), e);
        }
        InetSocketAddress a = (InetSocketAddress) serverChannel.localAddress();
        return new HostPort(bindHost, a.getPort());
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Connections refused by the limits so far. */
    public long refusedConnections() {
        return gate.refused();
    }

    private final class Dispatcher extends SimpleChannelInboundHandler<Frame> {
        private final PeerGate.Conn conn;

        Dispatcher(PeerGate.Conn conn) {
            super(false);
            this.conn = conn;
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            conn.updateReading();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            if (f.kind() != Frame.REQUEST) {
                f.release();
                reject(ctx, f.requestId(), "expected a request frame");
                return;
            }
            Request req;
            try {
                req = Messages.parseRequest(f.header());
            } catch (InvalidProtocolBufferException e) {
                f.release();
                reject(ctx, f.requestId(), "malformed request header: " + e.getMessage());
                return;
            }
            int frameBytes = f.header().readableBytes() + f.payload().readableBytes();
            f.header().release();
            if (req.getBodyCase() == Request.BodyCase.BODY_NOT_SET) {
                f.payload().release();
                reject(ctx, f.requestId(), "unknown or missing request type");
                return;
            }
            conn.started(frameBytes);
            RpcCall call = new RpcCall(ctx.channel(), f.requestId(), req, f.payload(), observer,
                    () -> conn.finished(frameBytes));
            try {
                handler.handle(call);
            } catch (RuntimeException e) {
                log.warn("{}: {} from {} failed: {}", name, req.getBodyCase(), call.peer(), e.toString(), e);
                try {
                    call.fail(StatusCode.EIO, "internal error: " + e);
                } catch (IllegalStateException alreadyAnswered) {
                    // the handler replied before throwing; nothing more to say
                }
            } finally {
                if (f.payload().refCnt() > 0) {
                    f.payload().release();
                }
            }
        }

        private void reject(ChannelHandlerContext ctx, long id, String why) {
            log.warn("{}: rejected request from {}: {}", name, ctx.channel().remoteAddress(), why);
            RpcCall.send(ctx.channel(), id,
                    Response.newBuilder().setStatus(StatusCode.EBADMSG).setMessage(why).build(), Unpooled.EMPTY_BUFFER);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof DecoderException) {
                log.warn("{}: closing connection from {}: {}", name, ctx.channel().remoteAddress(), cause.getMessage());
            } else if (cause instanceof IOException) {
                log.debug("{}: connection from {} failed: {}", name, ctx.channel().remoteAddress(), cause.toString());
            } else {
                log.warn("{}: connection from {} failed", name, ctx.channel().remoteAddress(), cause);
            }
            ctx.close();
        }
    }
}
