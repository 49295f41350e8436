package dev.grainfs.core.security;

import dev.grainfs.core.wire.ConnectionLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;

/**
 * How a process secures its connections: an optional cluster key (mutual challenge-response on
 * every connection, see {@link HandshakeHandler}) and optional TLS. Both ends of a connection put
 * the same handlers in front of the frame codec:
 *
 * <pre>
 *   tls (SslHandler, when TLS is on) -> handshake (removes itself) -> frameDecoder -> ...
 * </pre>
 * Immutable and thread-safe; one per process, shared by its server and its clients.
 */
public final class WireSecurity {
    /** No key, no TLS: accepts any peer (a local try-out; the daemons say so in their log). */
    public static final WireSecurity NONE = new WireSecurity(null, null, null, ConnectionLimits.defaults());
    public static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private final ClusterKey key;
    private final SslContext serverTls;
    private final SslContext clientTls;
    private final ConnectionLimits limits;

    private WireSecurity(ClusterKey key, SslContext serverTls, SslContext clientTls, ConnectionLimits limits) {
        this.key = key;
        this.serverTls = serverTls;
        this.clientTls = clientTls;
        this.limits = limits;
    }

    /** The same, with what one client may take of a server this process runs. */
    public WireSecurity withLimits(ConnectionLimits l) {
        return new WireSecurity(key, serverTls, clientTls, l);
    }

    /** Connection and in-flight limits of servers using this (defaults unless set). */
    public ConnectionLimits limits() {
        return limits;
    }

    /** {@code key} and {@code tls} may each be null. A client-only process may give TLS without cert. */
    public static WireSecurity of(ClusterKey key, TlsFiles tls) throws IOException {
        if (tls == null) {
            return new WireSecurity(key, null, null, ConnectionLimits.defaults());
        }
        return new WireSecurity(key, tls.cert() == null ? null : tls.serverContext(), tls.clientContext(),
                ConnectionLimits.defaults());
    }

    public static WireSecurity of(ClusterKey key) {
        return new WireSecurity(key, null, null, ConnectionLimits.defaults());
    }

    /** The cluster key, or null when this process runs without one. */
    public ClusterKey key() {
        return key;
    }

    public boolean tls() {
        return clientTls != null;
    }

    /** One line for a daemon's log: what it demands of its peers. */
    public String describe() {
        String k = key == null ? "WITHOUT a cluster key: accepting any peer" : "with cluster key " + key.fingerprint();
        return k + (serverTls != null ? ", TLS on" : ", TLS off");
    }

    /** Puts TLS and the key handshake at the head of an accepted connection's pipeline. */
    public void secureServer(Channel ch, String serviceName) {
        ChannelPipeline p = ch.pipeline();
        if (serverTls != null) {
            p.addFirst("tls", serverTls.newHandler(ch.alloc()));
        }
        if (key != null) {
            addAfterTls(p, "handshake", HandshakeHandler.server(key, serviceName, HANDSHAKE_TIMEOUT_MS));
        }
    }

    /**
     * Puts TLS and the key handshake at the head of an outgoing connection's pipeline; the future
     * completes when the peer is proved (at once without a key), or fails with a GrainException.
     */
    public Future<Void> secureClient(Channel ch, String host, int port, long timeoutMs) {
        ChannelPipeline p = ch.pipeline();
        String peer = host + ":" + port;
        SslHandler ssl = null;
        if (clientTls != null) {
            ssl = clientTls.newHandler(ch.alloc(), host, port);
            p.addFirst("tls", ssl);
        }
        Promise<Void> ready = ch.eventLoop().newPromise();
        HandshakeHandler hs = null;
        if (key != null) {
            hs = HandshakeHandler.client(key, peer, timeoutMs);
            addAfterTls(p, "handshake", hs);
        } else {
            addAfterTls(p, "keylessGuard", new KeylessGuard(peer));
        }
        HandshakeHandler handshake = hs;
        Runnable afterTls = () -> {
            if (handshake == null) {
                ready.trySuccess(null);
            } else {
                handshake.done().addListener(f -> {
                    if (f.isSuccess()) {
                        ready.trySuccess(null);
                    } else {
                        ready.tryFailure(f.cause());
                    }
                });
            }
        };
        if (ssl == null) {
            afterTls.run();
        } else {
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    afterTls.run();
                } else {
                    ready.tryFailure(new dev.grainfs.core.GrainException(dev.grainfs.core.wire.proto.StatusCode.EAUTH,
                            "TLS handshake with " + peer + " failed: " + rootMessage(f.cause()), peer));
                }
            });
        }
        return ready;
    }

    private static void addAfterTls(ChannelPipeline p, String name, io.netty.channel.ChannelHandler h) {
        if (p.get("tls") != null) {
            p.addAfter("tls", name, h);
        } else {
            p.addFirst(name, h);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
