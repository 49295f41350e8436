package dev.grainfs.core.http;

import dev.grainfs.core.id.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for a daemon's status page, JSON API and /metrics: GET only, one route
 * per exact path, whole bodies. It runs on its own single event-loop thread, so a slow page never
 * delays the daemon's RPC traffic.
 *
 * Pipeline: HttpServerCodec -> HttpObjectAggregator (64 KiB) -> Router (-> route).
 */
public final class HttpStatusServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpStatusServer.class);

    /** One page or endpoint; called on the HTTP thread; throws IllegalArgumentException for a 400. */
    @FunctionalInterface
    public interface Route {
        HttpReply serve(Map<String, List<String>> query) throws Exception;
    }

    private final String name;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private Channel serverChannel;

    public HttpStatusServer(String name) {
        this.name = name;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-http", true));
    }

    /** Serves {@code path} (exact match, e.g. "/api/cluster") with {@code route}. */
    public HttpStatusServer route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    /** Binds; port 0 picks a free port. Returns the bound address. */
    public HostPort start(String bindHost, int port) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("codec", new HttpServerCodec())
                                .addLast("aggregator", new HttpObjectAggregator(64 << 10))
                                .addLast("router", new Router());
                    }
                });
        try {
            serverChannel = b.bind(bindHost, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding http " + bindHost + ":" + port);
        } catch (Exception e) {
            throw new IOException("cannot serve http on " + bindHost + ":" + port + ": " + e.getMessage(), e);
        }
        HostPort a = new HostPort(bindHost, ((InetSocketAddress) serverChannel.localAddress()).getPort());
        log.info("{} status page on http://{}/", name, a);
        return a;
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpReply reply;
            if (!req.decoderResult().isSuccess()) {
                reply = HttpReply.text(400, "bad request\n");
                keepAlive = false;
            } else if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
                reply = HttpReply.text(405, "only GET\n");
            } else {
                reply = serve(new QueryStringDecoder(req.uri()));
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status()),
                    req.method() == HttpMethod.HEAD ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                    .set(HttpHeaderNames.CONTENT_LENGTH, reply.body().length)
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            if (keepAlive) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(resp);
            } else {
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private HttpReply serve(QueryStringDecoder q) {
            Route r = routes.get(q.path());
            if (r == null) {
                return HttpReply.text(404, "no such page: " + q.path() + "\n");
            }
            try {
                return r.serve(q.parameters());
            } catch (IllegalArgumentException e) {
                return HttpReply.error(400, String.valueOf(e.getMessage()));
            } catch (Exception e) {
                log.warn("{}: GET {} failed", name, q.path(), e);
                return HttpReply.error(500, "internal error: " + e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a browser or scraper hanging up is normal: no stack trace for I/O errors
            if (cause instanceof IOException) {
                log.debug("{}: http connection from {} failed: {}", name, ctx.channel().remoteAddress(), cause.toString());
            } else {
                log.warn("{}: http connection from {} failed: {}", name, ctx.channel().remoteAddress(), cause.toString());
            }
            ctx.close();
        }
    }

    /** A classpath resource by absolute name ("/dev/grainfs/daemons/http/master.html"), read once. */
    public static byte[] resource(String name) {
        try (var in = HttpStatusServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
