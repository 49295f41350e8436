package dev.grainfs.daemons.chunkserver;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.security.ChunkTokens;
import dev.grainfs.core.security.ChunkTokens.Access;
import dev.grainfs.core.wire.proto.Request;

/**
 * Decides whether a chunkserver may serve a request: in a keyed cluster every request that reads or
 * changes a chunk must carry the master's access token for that chunk (READ for read_chunk; WRITE
 * for write_chunk, append_record, sync_chunk and the master's set_version). Without a key (a
 * local try-out) everything is allowed, as before. Thread-safe.
 */
final class ChunkAccessGuard {
    static final ChunkAccessGuard OPEN = new ChunkAccessGuard(null);

    private final ChunkTokens tokens;

    ChunkAccessGuard(ChunkTokens tokens) {
        this.tokens = tokens;
    }

    /** Throws EACCES when {@code r} lacks a valid token for what it does, EINVAL for a bad chain address. */
    void check(Request r) throws GrainException {
        switch (r.getBodyCase()) {
            case WRITE_CHUNK -> checkChain(r.getWriteChunk().getChainList());
            case APPEND_RECORD -> checkChain(r.getAppendRecord().getChainList());
            case SYNC_CHUNK -> checkChain(r.getSyncChunk().getChainList());
            default -> {
                // no peer addresses in the request
            }
        }
        if (tokens == null) {
            return;
        }
        switch (r.getBodyCase()) {
            case READ_CHUNK -> tokens.check(r.getReadChunk().getHandle(), Access.READ, r.getChunkToken());
            case WRITE_CHUNK -> tokens.check(r.getWriteChunk().getHandle(), Access.WRITE, r.getChunkToken());
            case APPEND_RECORD -> tokens.check(r.getAppendRecord().getHandle(), Access.WRITE, r.getChunkToken());
            case SYNC_CHUNK -> tokens.check(r.getSyncChunk().getHandle(), Access.WRITE, r.getChunkToken());
            case SET_VERSION -> tokens.check(r.getSetVersion().getHandle(), Access.WRITE, r.getChunkToken());
            default -> {
                // chunk_info tells only a version and a length; other requests are refused by the handler
            }
        }
    }

    /** Chain addresses come from the caller: refuse impossible ones before we try to connect. */
    private static void checkChain(java.util.List<dev.grainfs.core.wire.proto.ServerAddress> chain) throws GrainException {
        if (chain.size() > 16) {
            throw GrainException.of(dev.grainfs.core.wire.proto.StatusCode.EINVAL, "replica chain of %d servers", chain.size());
        }
        for (var a : chain) {
            if (a.getPort() < 1 || a.getPort() > 65535 || a.getHost().isEmpty()) {
                throw GrainException.of(dev.grainfs.core.wire.proto.StatusCode.EINVAL, "bad replica address %s:%d",
                        a.getHost(), a.getPort());
            }
        }
    }
}
