package dev.grainfs.core.client;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.proto.Caller;
import java.util.List;

/**
 * How a client reaches and talks to the cluster, parsed once at the edge.
 *
 * @param masters        master addresses (the first that answers is used)
 * @param caller         the identity sent with every request (uid, gid, groups)
 * @param packetBytes    write packet size: bytes sent down the replica chain per request
 * @param writeWindow    packets in flight per open file
 * @param readPieceBytes read request size per chunkserver call
 * @param readAhead      pieces read ahead on sequential reads
 * @param callTimeoutMs  timeout of one RPC
 * @param retryMs        how long an operation keeps retrying a dead master or chain before EIO
 */
public record ClientConfig(List<HostPort> masters, Caller caller, int packetBytes, int writeWindow,
                           int readPieceBytes, int readAhead, long callTimeoutMs, long retryMs) {
    public ClientConfig {
        masters = List.copyOf(masters);
        if (masters.isEmpty()) {
            throw new IllegalArgumentException("no master address");
        }
    }

    public static ClientConfig of(HostPort master) {
        return new ClientConfig(List.of(master), currentUser(), 1 << 20, 16, 1 << 20, 8, 30_000, 30_000);
    }

    public ClientConfig withCaller(Caller c) {
        return new ClientConfig(masters, c, packetBytes, writeWindow, readPieceBytes, readAhead, callTimeoutMs, retryMs);
    }

    public ClientConfig withRetryMs(long ms) {
        return new ClientConfig(masters, caller, packetBytes, writeWindow, readPieceBytes, readAhead, callTimeoutMs, ms);
    }

    public ClientConfig withCallTimeoutMs(long ms) {
        return new ClientConfig(masters, caller, packetBytes, writeWindow, readPieceBytes, readAhead, ms, retryMs);
    }

    /** The uid/gid of the user running this JVM (root when it cannot be told). */
    public static Caller currentUser() {
        try {
            Object uid = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
            Object gid = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:gid");
            return Caller.newBuilder().setUid((Integer) uid).setGid((Integer) gid).build();
        } catch (Exception | Error e) {
            return Caller.newBuilder().setUid(0).setGid(0).build();
        }
    }
}
