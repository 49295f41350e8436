package dev.grainfs.daemons.master.namespace;

import dev.grainfs.daemons.master.chunk.ChunkInfo;
import java.util.Arrays;

/**
 * A regular file: its size, replication, chunk size and its chunks by index (null = a hole).
 * Most files have one chunk, so that one is held directly rather than in an array of one.
 */
public final class FileInode extends Inode {
    private static final ChunkInfo[] NONE = new ChunkInfo[0];
    private static final long CHUNK_UNIT = 64 << 10;
    private long size;
    private Object chunks;            // null (none), a ChunkInfo (only index 0), or a ChunkInfo[]
    private final char chunkUnits;    // chunk size in 64 KiB units: up to 4 GiB - 64 KiB
    private byte replication;

    FileInode(long id, byte[] name, int mode, int uid, int gid, long timeNs, int replication, long chunkSize) {
        super(id, name, mode, uid, gid, timeNs);
        if (chunkSize <= 0 || chunkSize % CHUNK_UNIT != 0 || chunkSize / CHUNK_UNIT > Character.MAX_VALUE) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not a multiple of 64 KiB below 4 GiB");
        }
        this.chunkUnits = (char) (chunkSize / CHUNK_UNIT);
        setReplication(replication);
    }

    public long size() {
        return size;
    }

    public void setSize(long size) {
        this.size = size;
    }

    public long chunkSize() {
        return chunkUnits * CHUNK_UNIT;
    }

    public int replication() {
        return replication;
    }

    public void setReplication(int r) {
        if (r < 1 || r > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("replication " + r + " out of range");
        }
        this.replication = (byte) r;
    }

    /** One past the highest chunk index that may hold a chunk. */
    public int chunkSlots() {
        Object c = chunks;
        return c == null ? 0 : c instanceof ChunkInfo ? 1 : ((ChunkInfo[]) c).length;
    }

    public ChunkInfo chunk(long index) {
        Object c = chunks;
        if (c instanceof ChunkInfo one) {
            return index == 0 ? one : null;
        }
        if (c instanceof ChunkInfo[] all) {
            return index < all.length ? all[(int) index] : null;
        }
        return null;
    }

    public long chunkCount() {
        Object c = chunks;
        if (c instanceof ChunkInfo) {
            return 1;
        }
        long n = 0;
        if (c instanceof ChunkInfo[] all) {
            for (ChunkInfo x : all) {
                if (x != null) {
                    n++;
                }
            }
        }
        return n;
    }

    public void setChunk(long index, ChunkInfo c) {
        if (index == 0 && (chunks == null || chunks instanceof ChunkInfo)) {
            chunks = c;
            return;
        }
        ChunkInfo[] all = chunks();
        if (index >= all.length) {
            all = Arrays.copyOf(all, (int) index + 1);
        }
        all[(int) index] = c;
        chunks = all;
    }

    /** Removes and returns the chunks at index >= {@code from}. */
    public ChunkInfo[] dropChunksFrom(long from) {
        ChunkInfo[] all = chunks();
        if (from >= all.length) {
            return NONE;
        }
        ChunkInfo[] dropped = Arrays.copyOfRange(all, (int) from, all.length);
        chunks = from == 0 ? null : from == 1 && all[0] != null ? all[0] : Arrays.copyOf(all, (int) from);
        return dropped;
    }

    /** The chunks by index (null = a hole), as a fresh array when the file holds its only chunk directly. */
    public ChunkInfo[] chunks() {
        Object c = chunks;
        return c == null ? NONE : c instanceof ChunkInfo one ? new ChunkInfo[] {one} : (ChunkInfo[]) c;
    }
}
