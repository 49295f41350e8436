package dev.grainfs.daemons.master.namespace;

import dev.grainfs.daemons.master.chunk.ChunkInfo;
import java.util.Arrays;

/** A regular file: its size, replication, chunk size and its chunks by index (null = a hole). */
public final class FileInode extends Inode {
    private static final ChunkInfo[] NONE = new ChunkInfo[0];
    private long size;
    private ChunkInfo[] chunks = NONE;
    private final int chunkSizeKiB;
    private short replication;

    FileInode(long id, byte[] name, int mode, int uid, int gid, long timeNs, int replication, long chunkSize) {
        super(id, name, mode, uid, gid, timeNs);
        this.replication = (short) replication;
        this.chunkSizeKiB = (int) (chunkSize >> 10);
    }

    public long size() {
        return size;
    }

    public void setSize(long size) {
        this.size = size;
    }

    public long chunkSize() {
        return (long) chunkSizeKiB << 10;
    }

    public int replication() {
        return replication;
    }

    public void setReplication(int r) {
        this.replication = (short) r;
    }

    public int chunkSlots() {
        return chunks.length;
    }

    public ChunkInfo chunk(long index) {
        return index < chunks.length ? chunks[(int) index] : null;
    }

    public long chunkCount() {
        long n = 0;
        for (ChunkInfo c : chunks) {
            if (c != null) {
                n++;
            }
        }
        return n;
    }

    public void setChunk(long index, ChunkInfo c) {
        if (index >= chunks.length) {
            chunks = Arrays.copyOf(chunks, (int) index + 1);
        }
        chunks[(int) index] = c;
    }

    /** Removes and returns the chunks at index >= {@code from}. */
    public ChunkInfo[] dropChunksFrom(long from) {
        if (from >= chunks.length) {
            return NONE;
        }
        ChunkInfo[] dropped = Arrays.copyOfRange(chunks, (int) from, chunks.length);
        chunks = from == 0 ? NONE : Arrays.copyOf(chunks, (int) from);
        return dropped;
    }

    public ChunkInfo[] chunks() {
        return chunks;
    }
}
