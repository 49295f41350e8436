package dev.grainfs.daemons.chunkserver.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads replica bytes, checking the CRC32C of every block a read touches before any byte is handed out. */
final class ReplicaReader {

    private ReplicaReader() {
    }

    /**
     * Reads {@code min(length, replicaLength - offset)} bytes (0 at or past the end) into {@code dst} at its
     * position and advances it; caller holds the read lock. Whole blocks inside the range are read straight
     * into {@code dst} in one call and checked there; a partial head or tail block goes through scratch.
     */
    static int read(Replica r, long offset, int length, ByteBuffer dst) throws IOException {
        long replicaLength = r.length();
        if (offset >= replicaLength || length == 0) {
            return 0;
        }
        int n = (int) Math.min(length, replicaLength - offset);
        long end = offset + n;
        int p0 = dst.position();
        ByteBuffer view = dst.duplicate();
        int last = Blocks.indexOf(end - 1);
        for (int i = Blocks.indexOf(offset); i <= last; ) {
            long start = Blocks.start(i);
            if (start >= offset && Blocks.end(i, replicaLength) <= end) {
                int j = i;
                while (j < last && Blocks.end(j + 1, replicaLength) <= end) {
                    j++;
                }
                view.limit(p0 + (int) (Blocks.end(j, replicaLength) - offset)).position(p0 + (int) (start - offset));
                readRun(r, view, start);
                for (int k = i; k <= j; k++) {
                    view.limit(p0 + (int) (Blocks.end(k, replicaLength) - offset))
                            .position(p0 + (int) (Blocks.start(k) - offset));
                    check(r, k, view);
                }
                i = j + 1;
            } else {
                ByteBuffer block = readBlock(r, i);
                long from = Math.max(start, offset);
                long to = Math.min(Blocks.end(i, replicaLength), end);
                dst.put(p0 + (int) (from - offset), block, (int) (from - start), (int) (to - from));
                i++;
            }
        }
        dst.position(p0 + n);
        return n;
    }

    /** Re-checks every block of the replica (the scrubber's pass); caller holds the read lock. */
    static void verify(Replica r) throws IOException {
        long size = r.data().size();
        if (size != r.length()) {
            throw r.markCorrupt(ChunkCorruptException.SIDECAR,
                    "data file is " + size + " bytes, expected " + r.length());
        }
        for (int i = 0; i < r.checksums().count(); i++) {
            readBlock(r, i);
        }
    }

    /**
     * Reads block {@code i}'s current bytes into this thread's scratch (position 0, limit = bytes the block
     * holds, possibly 0 past the end) and checks them against the block's CRC.
     */
    static ByteBuffer readBlock(Replica r, int i) throws IOException {
        long start = Blocks.start(i);
        int bytes = (int) Math.max(0, Math.min(Blocks.SIZE, r.length() - start));
        ByteBuffer block = Blocks.scratch(bytes);
        if (bytes > 0) {
            readRun(r, block, start);
            block.flip();
            check(r, i, block);
        }
        return block;
    }

    private static void readRun(Replica r, ByteBuffer dst, long position) throws IOException {
        FileChannel ch = r.data();
        while (dst.hasRemaining()) {
            int got = ch.read(dst, position);
            if (got < 0) {
                throw r.markCorrupt(Blocks.indexOf(position), "data file ends at " + position
                        + " before the replica's length " + r.length());
            }
            position += got;
        }
    }

    private static void check(Replica r, int block, ByteBuffer bytes) throws ChunkCorruptException {
        if (Blocks.crc(bytes) != r.checksums().get(block)) {
            throw r.markCorrupt(block, "CRC32C mismatch");
        }
    }
}
