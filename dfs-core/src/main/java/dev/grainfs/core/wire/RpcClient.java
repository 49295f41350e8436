package dev.grainfs.core.wire;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.StatusCode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls on remote GrainFS services: one multiplexed connection per peer, opened on first use and
 * reopened after it dies. Thread-safe; share one per process.
 *
 * Pipeline: [tls] -> [handshake] -> FrameDecoder -> FrameEncoder -> Connection (matches answers to
 * requests); a connection is handed out only once {@link WireSecurity} has proved the peer.
 */
public final class RpcClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final int connectTimeoutMs;
    private final WireSecurity security;
    private final Map<HostPort, CompletableFuture<Connection>> connections = new ConcurrentHashMap<>();

    public RpcClient(String name, int threads) {
        this(Transports.group(threads, name + "-client"), true, 5_000);
    }

    /** A client that proves {@code security}'s cluster key (and speaks TLS) to every peer. */
    public RpcClient(String name, int threads, WireSecurity security) {
        this(Transports.group(threads, name + "-client"), true, 5_000, security);
    }

    public RpcClient(EventLoopGroup group, boolean ownsGroup, int connectTimeoutMs) {
        this(group, ownsGroup, connectTimeoutMs, WireSecurity.NONE);
    }

    public RpcClient(EventLoopGroup group, boolean ownsGroup, int connectTimeoutMs, WireSecurity security) {
        this.security = security;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    public CompletableFuture<Reply> call(HostPort peer, Request request, long timeoutMs) {
        return call(peer, request, Unpooled.EMPTY_BUFFER, timeoutMs);
    }

    /** Sends {@code request} with a raw payload (ownership passes to this call). */
    public CompletableFuture<Reply> call(HostPort peer, Request request, ByteBuf payload, long timeoutMs) {
        Request r = request.getTimeoutMs() == 0 ? request.toBuilder().setTimeoutMs((int) timeoutMs).build() : request;
        return connection(peer).handle((c, err) -> {
            if (err != null) {
                payload.release();
                return CompletableFuture.<Reply>failedFuture(GrainException.from(err));
            }
            return c.call(r, payload, timeoutMs);
        }).thenCompose(x -> x);
    }

    private CompletableFuture<Connection> connection(HostPort peer) {
        while (true) {
            CompletableFuture<Connection> f = connections.computeIfAbsent(peer, this::connect);
            if (!f.isDone() || (!f.isCompletedExceptionally() && f.join().isActive())) {
                return f;
            }
            if (f.isCompletedExceptionally()) {
                connections.remove(peer, f);
                return f; // report this failure; the next call tries again
            }
            connections.remove(peer, f); // dead connection: reconnect
        }
    }

    private CompletableFuture<Connection> connect(HostPort peer) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        Connection conn = new Connection(peer);
        java.util.concurrent.atomic.AtomicReference<io.netty.util.concurrent.Future<Void>> secured =
                new java.util.concurrent.atomic.AtomicReference<>();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, Transports.RECV_ALLOCATOR)
                .option(ChannelOption.SO_RCVBUF, Transports.SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, Transports.SOCKET_BUFFER)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("frameDecoder", new FrameDecoder())
                                .addLast("frameEncoder", new FrameEncoder())
                                .addLast("connection", conn);
                        secured.set(security.secureClient(ch, peer.host(), peer.port(), connectTimeoutMs));
                    }
                });
        ChannelFuture cf = b.connect(peer.host(), peer.port());
        cf.addListener(done -> {
            if (done.isSuccess()) {
                conn.attach(cf.channel());
                secured.get().addListener(s -> {
                    if (s.isSuccess()) {
                        result.complete(conn);
                    } else {
                        connections.remove(peer, result);
                        cf.channel().close();
                        result.completeExceptionally(GrainException.from(s.cause()));
                    }
                });
            } else {
                connections.remove(peer, result);
                result.completeExceptionally(new GrainException(StatusCode.EIO,
                        "cannot connect to " + peer + ": " + rootMessage(done.cause()), peer.toString()));
            }
        });
        return result;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    /** Drops the connection to {@code peer} (the next call reconnects). */
    public void disconnect(HostPort peer) {
        CompletableFuture<Connection> f = connections.remove(peer);
        if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
            f.join().channel().close();
        }
    }

    @Override
    public void close() {
        for (CompletableFuture<Connection> f : connections.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                f.join().channel().close();
            }
        }
        connections.clear();
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
