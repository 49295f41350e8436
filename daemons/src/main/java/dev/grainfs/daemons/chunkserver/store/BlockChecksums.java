package dev.grainfs.daemons.chunkserver.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/** The CRC32C of every block of one open replica, in block order; not thread-safe (the replica's lock guards it). */
final class BlockChecksums {

    private int[] crcs;
    private int count;

    BlockChecksums(int[] crcs, int count) {
        this.crcs = crcs;
        this.count = count;
    }

    static BlockChecksums empty() {
        return new BlockChecksums(new int[16], 0);
    }

    int count() {
        return count;
    }

    int get(int block) {
        return crcs[Objects.checkIndex(block, count)];
    }

    /** Replaces the CRCs of blocks {@code first ..} with {@code values}, growing the count as needed. */
    void put(int first, int[] values) {
        if (first > count) {
            throw new IllegalStateException("gap: block " + first + " after " + count + " blocks");
        }
        resize(Math.max(count, first + values.length));
        System.arraycopy(values, 0, crcs, first, values.length);
    }

    /** Sets the number of blocks; new blocks read 0 until {@link #put} fills them. */
    void resize(int newCount) {
        if (newCount > crcs.length) {
            crcs = Arrays.copyOf(crcs, Math.max(newCount, crcs.length * 2));
        }
        if (newCount > count) {
            Arrays.fill(crcs, count, newCount, 0);
        }
        count = newCount;
    }

    /** The CRCs as big-endian u32s, the sidecar's encoding. */
    ByteBuffer encode() {
        ByteBuffer buf = ByteBuffer.allocate(count * Integer.BYTES);
        buf.asIntBuffer().put(crcs, 0, count);
        return buf;
    }

    static BlockChecksums decode(ByteBuffer buf, int count) {
        int[] crcs = new int[Math.max(count, 16)];
        buf.asIntBuffer().get(crcs, 0, count);
        return new BlockChecksums(crcs, count);
    }
}
