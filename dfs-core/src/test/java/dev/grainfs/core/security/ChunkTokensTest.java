package dev.grainfs.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.grainfs.core.GrainException;
import dev.grainfs.core.security.ChunkTokens.Access;
import dev.grainfs.core.wire.proto.StatusCode;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChunkTokensTest {
    final ClusterKey key = ClusterKey.random();
    final AtomicLong now = new AtomicLong(1_000_000);
    final ChunkTokens tokens = new ChunkTokens(key, 60_000, now::get);

    static void refused(ThrowingCheck c) {
        GrainException e = assertThrows(GrainException.class, c::run);
        assertEquals(StatusCode.EACCES, e.status(), e.getMessage());
    }

    interface ThrowingCheck {
        void run() throws GrainException;
    }

    @Test
    void validTokenPasses() throws GrainException {
        tokens.check(7, Access.READ, tokens.mint(7, Access.READ));
        tokens.check(7, Access.WRITE, tokens.mint(7, Access.WRITE));
    }

    @Test
    void missingForgedOtherChunkOtherKeyAndTamperedTokensAreRefused() {
        ByteString t = tokens.mint(7, Access.READ);
        refused(() -> tokens.check(7, Access.READ, ByteString.EMPTY));
        refused(() -> tokens.check(8, Access.READ, t));
        refused(() -> tokens.check(7, Access.READ, ByteString.copyFrom(new byte[ChunkTokens.BYTES])));
        refused(() -> tokens.check(7, Access.READ, t.substring(1)));
        refused(() -> tokens.check(7, Access.READ, new ChunkTokens(ClusterKey.random(), 60_000, now::get).mint(7, Access.READ)));
        byte[] b = t.toByteArray();
        b[3] ^= 1; // push the expiry out
        refused(() -> tokens.check(7, Access.READ, ByteString.copyFrom(b)));
        byte[] c = t.toByteArray();
        c[0] = 2; // claim WRITE
        refused(() -> tokens.check(7, Access.WRITE, ByteString.copyFrom(c)));
    }

    @Test
    void readTokenDoesNotAllowWriteNorTheReverse() {
        refused(() -> tokens.check(7, Access.WRITE, tokens.mint(7, Access.READ)));
        refused(() -> tokens.check(7, Access.READ, tokens.mint(7, Access.WRITE)));
    }

    @Test
    void expiredTokenIsRefused() throws GrainException {
        ByteString t = tokens.mint(7, Access.READ);
        now.addAndGet(60_000);
        tokens.check(7, Access.READ, t);
        now.addAndGet(1);
        refused(() -> tokens.check(7, Access.READ, t));
    }
}
