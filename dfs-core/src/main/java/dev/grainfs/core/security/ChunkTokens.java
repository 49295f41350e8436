package dev.grainfs.core.security;

import com.google.protobuf.ByteString;
import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * Chunk access tokens (as HDFS block access tokens): the master signs "this holder may READ (or
 * WRITE) chunk H until T" when it hands out locations or a write lease, after its permission check;
 * chunkservers serve or change a chunk only for a valid, unexpired token naming it and the access.
 *
 * <pre>
 *  0        1                  9                                  41
 *  +--------+------------------+----------------------------------+
 *  | access | expiry (ms, u64) | HMAC-SHA256(k, "chunk"|handle|access|expiry) |
 *  +--------+------------------+----------------------------------+
 * </pre>
 * k is derived from the cluster key for tokens only. Immutable and thread-safe.
 */
public final class ChunkTokens {
    public static final long DEFAULT_LIFETIME_MS = 10 * 60_000;
    public static final int BYTES = 1 + 8 + 32;
    private static final byte[] DOMAIN = "chunk".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** What a token allows; a read token never allows a write nor the reverse. */
    public enum Access {
        READ(1), WRITE(2);

        final byte code;

        Access(int code) {
            this.code = (byte) code;
        }
    }

    private final byte[] macKey;
    private final long lifetimeMs;
    private final LongSupplier clockMs;

    public ChunkTokens(ClusterKey key, long lifetimeMs, LongSupplier clockMs) {
        this.macKey = key.derive("chunk tokens");
        this.lifetimeMs = lifetimeMs;
        this.clockMs = clockMs;
    }

    public ChunkTokens(ClusterKey key) {
        this(key, DEFAULT_LIFETIME_MS, System::currentTimeMillis);
    }

    public ByteString mint(long handle, Access access) {
        long expiry = clockMs.getAsLong() + lifetimeMs;
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.put(access.code).putLong(expiry).put(mac(handle, access.code, expiry));
        return ByteString.copyFrom(b.array());
    }

    /** Throws EACCES unless {@code token} allows {@code access} to {@code handle} now. */
    public void check(long handle, Access access, ByteString token) throws GrainException {
        if (token.isEmpty()) {
            throw GrainException.of(StatusCode.EACCES, "chunk %x: no access token", handle);
        }
        if (token.size() != BYTES) {
            throw GrainException.of(StatusCode.EACCES, "chunk %x: malformed access token", handle);
        }
        ByteBuffer b = token.asReadOnlyByteBuffer();
        byte code = b.get();
        long expiry = b.getLong();
        byte[] mac = new byte[32];
        b.get(mac);
        if (!ClusterKey.same(mac, mac(handle, code, expiry))) {
            throw GrainException.of(StatusCode.EACCES, "chunk %x: access token is not valid for this chunk", handle);
        }
        if (code != access.code) {
            throw GrainException.of(StatusCode.EACCES, "chunk %x: token allows %s, not %s", handle,
                    code == Access.READ.code ? "READ" : "WRITE", access);
        }
        if (clockMs.getAsLong() > expiry) {
            throw GrainException.of(StatusCode.EACCES, "chunk %x: access token expired", handle);
        }
    }

    private byte[] mac(long handle, byte code, long expiry) {
        ByteBuffer m = ByteBuffer.allocate(17).putLong(handle).put(code).putLong(expiry);
        return ClusterKey.hmacWith(macKey, DOMAIN, m.array());
    }
}
