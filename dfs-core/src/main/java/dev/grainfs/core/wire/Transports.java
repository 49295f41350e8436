package dev.grainfs.core.wire;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Picks Linux epoll when its native library loads, NIO otherwise. */
public final class Transports {
    private static final boolean EPOLL = Epoll.isAvailable() && !Boolean.getBoolean("grainfs.nio");

    /** Large reads for bulk data: fewer decoder passes per 1 MiB packet. */
    static final io.netty.channel.RecvByteBufAllocator RECV_ALLOCATOR =
            new io.netty.channel.AdaptiveRecvByteBufAllocator(4 << 10, 64 << 10, 1 << 20);
    static final int SOCKET_BUFFER = 4 << 20;

    private Transports() {
    }

    public static EventLoopGroup group(int threads, String name) {
        DefaultThreadFactory tf = new DefaultThreadFactory(name, true);
        return EPOLL ? new EpollEventLoopGroup(threads, tf) : new NioEventLoopGroup(threads, tf);
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
