package dev.grainfs.daemons.chunkserver;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.ReplicaReport;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.chunkserver.store.ChunkCorruptException;
import dev.grainfs.daemons.chunkserver.store.ChunkExistsException;
import dev.grainfs.daemons.chunkserver.store.ChunkNotFoundException;
import dev.grainfs.daemons.chunkserver.store.ChunkStore;
import dev.grainfs.daemons.chunkserver.store.ChunkStoreOptions;
import dev.grainfs.daemons.chunkserver.store.NoSpaceLeftException;
import dev.grainfs.daemons.chunkserver.store.ReplicaInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The chunk store seen from the network layer: the same operations, failures as wire statuses. */
final class StoreAdapter implements AutoCloseable {
    private final ChunkStore store;
    private final long maxChunkSize;

    private StoreAdapter(ChunkStore store, long maxChunkSize) {
        this.store = store;
        this.maxChunkSize = maxChunkSize;
    }

    static StoreAdapter open(List<Path> dirs, long maxChunkSize) throws IOException {
        return new StoreAdapter(ChunkStore.open(dirs, ChunkStoreOptions.defaults().withMaxChunkSize(maxChunkSize)),
                maxChunkSize);
    }

    ChunkStore raw() {
        return store;
    }

    long maxChunkSize() {
        return maxChunkSize;
    }

    boolean contains(long h) {
        return store.contains(h);
    }

    long version(long h) throws GrainException {
        try {
            return store.version(h);
        } catch (IOException e) {
            throw map(h, e);
        }
    }

    long length(long h) throws GrainException {
        try {
            return store.length(h);
        } catch (IOException e) {
            throw map(h, e);
        }
    }

    void create(long h, long version) throws GrainException {
        try {
            store.create(h, version);
        } catch (IOException e) {
            throw map(h, e);
        }
    }

    void setVersion(long h, long version) throws GrainException {
        try {
            store.setVersion(h, version);
        } catch (IOException e) {
            throw map(h, e);
        }
    }

    void write(long h, long offset, ByteBuffer data) throws GrainException {
        try {
            store.write(h, offset, data);
        } catch (IOException e) {
            throw map(h, e);
        }
    }

    int read(long h, long offset, int length, ByteBuffer dst) throws GrainException {
        try {
            return store.read(h, offset, length, dst);
        } catch (IOException e) {
            throw map(h, e);
        }
    }

    void truncate(long h, long length) throws GrainException {
        try {
            store.truncate(h, length);
        } catch (IOException e) {
            throw map(h, e);
        }
    }

    void sync(long h) throws GrainException {
        try {
            store.sync(h);
        } catch (IOException e) {
            throw map(h, e);
        }
    }

    void delete(long h) throws GrainException {
        try {
            store.delete(h);
        } catch (IOException e) {
            throw map(h, e);
        }
    }

    List<ReplicaReport> report() {
        List<ReplicaReport> out = new ArrayList<>();
        List<Long> corrupt = store.corruptChunks();
        for (ReplicaInfo r : store.report()) {
            if (!corrupt.contains(r.handle())) {
                out.add(ReplicaReport.newBuilder().setHandle(r.handle()).setVersion(r.version()).setLength(r.length())
                        .build());
            }
        }
        return out;
    }

    long count() {
        return store.report().size();
    }

    long capacityBytes() {
        try {
            return store.capacityBytes();
        } catch (IOException e) {
            return 0;
        }
    }

    long usedBytes() {
        return store.usedBytes();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

    private static GrainException map(long h, IOException e) {
        StatusCode s;
        if (e instanceof ChunkNotFoundException) {
            s = StatusCode.ENOENT;
        } else if (e instanceof ChunkCorruptException) {
            s = StatusCode.ECORRUPT;
        } else if (e instanceof NoSpaceLeftException) {
            s = StatusCode.ENOSPC;
        } else if (e instanceof ChunkExistsException) {
            s = StatusCode.EEXIST;
        } else {
            s = StatusCode.EIO;
        }
        GrainException g = new GrainException(s, "chunk " + Long.toHexString(h) + ": " + e.getMessage());
        g.initCause(e);
        return g;
    }
}
