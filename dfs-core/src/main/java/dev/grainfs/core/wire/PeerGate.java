package dev.grainfs.core.wire;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one client from taking a whole {@link RpcServer}: admits a connection only while its
 * address and the server are under their connection limits, and stops reading a peer's
 * connections while that peer has too many requests (or bytes) unanswered, or while one of its
 * connections does not read its answers (the outbound buffer above its high-water mark). Reading
 * resumes when half the peer's budget is free again. So what one address can make the server hold
 * is bounded by {@link ConnectionLimits}, however it sends. Thread-safe.
 *
 * <pre>
 *   accept --admit()--> refused: closed + one WARN line a second at most
 *            |
 *   request decoded --started()--> peer over budget: autoRead off on this connection
 *   request answered --finished()--> peer at half budget: autoRead back on its paused connections
 * </pre>
 */
final class PeerGate {
    private static final Logger log = LoggerFactory.getLogger(PeerGate.class);
    private static final long WARN_EVERY_NS = 1_000_000_000L;

    /** What one address holds; fields guarded by the object's monitor. */
    static final class Peer {
        private int connections;
        private int requests;
        private long bytes;
        private final List<Conn> paused = new ArrayList<>();
    }

    /** One admitted connection: reads while it is writable and its peer is within budget. */
    final class Conn {
        final Channel channel;
        final Peer peer;
        private volatile boolean overBudget;

        Conn(Channel channel, Peer peer) {
            this.channel = channel;
            this.peer = peer;
        }

        /** Call when a request of {@code frameBytes} was decoded; pair with {@link #finished}. */
        void started(int frameBytes) {
            synchronized (peer) {
                peer.requests++;
                peer.bytes += frameBytes;
                if (!overBudget && (peer.requests >= limits.maxPeerRequests() || peer.bytes >= limits.maxPeerBytes())) {
                    overBudget = true;
                    peer.paused.add(this);
                }
            }
            updateReading();
        }

        /** The request is answered (on any thread). */
        void finished(int frameBytes) {
            List<Conn> resume = List.of();
            synchronized (peer) {
                peer.requests--;
                peer.bytes -= frameBytes;
                if (!peer.paused.isEmpty() && peer.requests <= limits.maxPeerRequests() / 2
                        && peer.bytes <= limits.maxPeerBytes() / 2) {
                    resume = List.copyOf(peer.paused);
                    peer.paused.clear();
                    for (Conn c : resume) {
                        c.overBudget = false;
                    }
                }
            }
            for (Conn c : resume) {
                c.updateReading();
            }
        }

        /** Reads iff the peer reads its answers and is within budget; also on writability changes. */
        void updateReading() {
            channel.config().setAutoRead(channel.isWritable() && !overBudget);
        }
    }

    private final String name;
    private final ConnectionLimits limits;
    private final ConcurrentHashMap<InetAddress, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastWarnNs = new AtomicLong(System.nanoTime() - WARN_EVERY_NS);
    private final AtomicLong unlogged = new AtomicLong();

    PeerGate(String name, ConnectionLimits limits) {
        this.name = name;
        this.limits = limits;
    }

    /**
     * Admits a new connection (its counts are released when it closes), or returns null when a
     * limit is reached: the caller closes it. Runs on the connection's event loop.
     */
    Conn admit(Channel ch) {
        InetAddress a = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        if (total.incrementAndGet() > limits.maxTotal()) {
            total.decrementAndGet();
            refuse(a, "the server has " + limits.maxTotal() + " connections (the limit)");
            return null;
        }
        Peer[] admitted = new Peer[1];
        peers.compute(a, (k, p) -> {
            Peer q = p == null ? new Peer() : p;
            if (q.connections < limits.maxPerPeer()) {
                q.connections++;
                admitted[0] = q;
            }
            return q.connections == 0 ? null : q;
        });
        if (admitted[0] == null) {
            total.decrementAndGet();
            refuse(a, "it has " + limits.maxPerPeer() + " connections open (the per-client limit)");
            return null;
        }
        Conn c = new Conn(ch, admitted[0]);
        ch.closeFuture().addListener(f -> release(a, c));
        return c;
    }

    private void release(InetAddress a, Conn c) {
        total.decrementAndGet();
        synchronized (c.peer) {
            c.peer.paused.remove(c);
        }
        peers.computeIfPresent(a, (k, p) -> --p.connections == 0 ? null : p);
    }

    /** One WARN line a second at most, so a flood of connections cannot flood the log. */
    private void refuse(InetAddress a, String why) {
        refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarnNs.get();
        if (now - last >= WARN_EVERY_NS && lastWarnNs.compareAndSet(last, now)) {
            long more = unlogged.getAndSet(0);
            log.warn("{}: refused connection from {}: {}{}", name, a.getHostAddress(), why,
                    more > 0 ? " (and " + more + " more refused since the last such line)" : "");
        } else {
            unlogged.incrementAndGet();
        }
    }

    /** Connections refused so far (tests, metrics). */
    long refused() {
        return refused.get();
    }

    /** Connections open now. */
    int open() {
        return total.get();
    }
}
