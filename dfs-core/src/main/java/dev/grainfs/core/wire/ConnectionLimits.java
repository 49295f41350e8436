package dev.grainfs.core.wire;

/**
 * How much of a server one client may take: connections per peer address and in total, and what
 * a peer address may have in flight (requests decoded but not yet answered, and their bytes)
 * before the server stops reading from its connections. Parsed once at the edge (daemon flags).
 *
 * @param maxPerPeer        connections from one IP address; more are closed at once and logged
 * @param maxTotal          connections to this server from everyone
 * @param maxPeerRequests   unanswered requests of one address before its connections are not read
 * @param maxPeerBytes      frame bytes (header + payload) of those requests, the same way
 */
public record ConnectionLimits(int maxPerPeer, int maxTotal, int maxPeerRequests, long maxPeerBytes) {
    public static final int DEFAULT_MAX_PER_PEER = 256;
    public static final int DEFAULT_MAX_TOTAL = 8192;
    public static final int DEFAULT_MAX_PEER_REQUESTS = 4096;
    public static final long DEFAULT_MAX_PEER_BYTES = 256L << 20;

    public ConnectionLimits {
        if (maxPerPeer < 1 || maxTotal < 1 || maxPeerRequests < 1 || maxPeerBytes < Frame.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("connection limits must be at least 1 (in-flight bytes at least one "
                    + "frame, " + Frame.MAX_PAYLOAD_BYTES + "): " + maxPerPeer + ", " + maxTotal + ", "
                    + maxPeerRequests + ", " + maxPeerBytes);
        }
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_MAX_PER_PEER, DEFAULT_MAX_TOTAL, DEFAULT_MAX_PEER_REQUESTS,
                DEFAULT_MAX_PEER_BYTES);
    }

    public ConnectionLimits withMaxPerPeer(int n) {
        return new ConnectionLimits(n, maxTotal, maxPeerRequests, maxPeerBytes);
    }

    public ConnectionLimits withMaxTotal(int n) {
        return new ConnectionLimits(maxPerPeer, n, maxPeerRequests, maxPeerBytes);
    }

    public ConnectionLimits withMaxPeerRequests(int n) {
        return new ConnectionLimits(maxPerPeer, maxTotal, n, maxPeerBytes);
    }

    public ConnectionLimits withMaxPeerBytes(long n) {
        return new ConnectionLimits(maxPerPeer, maxTotal, maxPeerRequests, n);
    }
}
