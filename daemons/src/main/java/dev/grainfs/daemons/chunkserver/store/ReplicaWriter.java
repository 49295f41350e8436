package dev.grainfs.daemons.chunkserver.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Applies writes, truncates and zero padding to an open replica, keeping every block's CRC32C exact.
 *
 * <p>Order of one mutation: (1) compute the new CRC of every block it changes, reading and checking the old
 * bytes of a partially covered block first (old bytes that fail their CRC are never re-certified); (2) write the
 * data in one positional call, cutting the file back to its old length if that fails; (3) only then install the
 * new CRCs and length. A failed mutation therefore leaves length and CRCs as they were.
 */
final class ReplicaWriter {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private ReplicaWriter() {
    }

    /** Writes all of {@code src} at {@code offset}; caller holds the write lock and checked the range. */
    static void write(Replica r, long offset, ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        long oldLength = r.length();
        long newLength = Math.max(oldLength, offset + n);
        int first = Blocks.indexOf(Math.min(offset, oldLength));
        int[] planned = plan(r, first, Blocks.indexOf(offset + n - 1), newLength, offset, src);
        writeOrRollBack(r, src, offset, oldLength);
        r.checksums().put(first, planned);
        r.setLength(newLength);
    }

    /** Shrinks the replica, or extends it with zeros (a hole in the file); caller holds the write lock. */
    static void truncate(Replica r, long newLength) throws IOException {
        long oldLength = r.length();
        if (newLength > oldLength) {
            int first = Blocks.indexOf(oldLength);
            int[] planned = plan(r, first, Blocks.indexOf(newLength - 1), newLength, newLength, EMPTY);
            writeOrRollBack(r, ByteBuffer.allocate(1), newLength - 1, oldLength); // sets the size; the rest is a hole
            r.checksums().put(first, planned);
            r.setLength(newLength);
        } else if (newLength < oldLength) {
            int count = Blocks.count(newLength);
            int tail = (int) (newLength - Blocks.start(Blocks.indexOf(newLength)));
            int[] tailCrc = tail == 0 ? new int[0] : new int[] {Blocks.crc(verifiedBlock(r, count - 1, tail))};
            r.data().truncate(newLength);
            r.checksums().resize(count - tailCrc.length);
            r.checksums().put(count - tailCrc.length, tailCrc);
            r.setLength(newLength);
        }
    }

    /**
     * New CRCs of blocks {@code first..last} once the replica holds {@code newLength} bytes, with {@code src}
     * (possibly empty) at {@code offset} and zeros in any gap between the old length and the new bytes.
     */
    private static int[] plan(Replica r, int first, int last, long newLength, long offset, ByteBuffer src)
            throws IOException {
        long oldLength = r.length();
        long end = offset + src.remaining();
        int p0 = src.position();
        ByteBuffer view = src.duplicate();
        int[] crcs = new int[last - first + 1];
        for (int i = first; i <= last; i++) {
            long start = Blocks.start(i);
            long blockEnd = Blocks.end(i, newLength);
            long from = Math.max(start, offset);
            long to = Math.min(blockEnd, end);
            if (from == start && to == blockEnd) {
                // the common case: new bytes cover the block, CRC straight off the caller's (direct) buffer
                view.limit(p0 + (int) (blockEnd - offset)).position(p0 + (int) (start - offset));
                crcs[i - first] = Blocks.crc(view);
            } else if (from >= to && start >= oldLength) {
                crcs[i - first] = Blocks.zeroCrc((int) (blockEnd - start)); // a block inside the new hole
            } else {
                ByteBuffer block = verifiedBlock(r, i, (int) (blockEnd - start)); // old bytes + zeros
                if (from < to) {
                    block.put((int) (from - start), src, p0 + (int) (from - offset), (int) (to - from));
                }
                crcs[i - first] = Blocks.crc(block);
            }
        }
        return crcs;
    }

    /** Block {@code i}'s current bytes, checked, cut or zero-extended to {@code size} bytes, in scratch. */
    private static ByteBuffer verifiedBlock(Replica r, int i, int size) throws IOException {
        ByteBuffer block = ReplicaReader.readBlock(r, i);
        int held = block.limit();
        block.limit(size);
        if (size > held) {
            block.put(held, Blocks.zeros(size - held), 0, size - held);
        }
        return block;
    }

    private static void writeOrRollBack(Replica r, ByteBuffer src, long offset, long oldLength) throws IOException {
        FileChannel ch = r.data();
        try {
            Blocks.writeFully(ch, src, offset);
        } catch (IOException e) {
            // an append that ran out of space must not leave bytes the CRCs do not cover
            try {
                if (ch.size() > oldLength) {
                    ch.truncate(oldLength);
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
