package dev.grainfs.daemons.chunkserver.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/** Block arithmetic and CRC32C helpers shared by the read and write paths (64 KiB blocks). */
final class Blocks {

    /** Bytes covered by one CRC32C; the last block of a replica may be shorter. */
    static final int SIZE = 64 * 1024;

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(SIZE).asReadOnlyBuffer();
    private static final int FULL_ZERO_CRC = crc(zeros(SIZE));
    // one block of direct scratch per thread: partial head/tail blocks are assembled here, never on the heap
    private static final ThreadLocal<ByteBuffer> SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SIZE));

    private Blocks() {
    }

    /** Number of blocks a replica of {@code length} bytes has. */
    static int count(long length) {
        return (int) ((length + SIZE - 1) / SIZE);
    }

    static int indexOf(long offset) {
        return (int) (offset / SIZE);
    }

    static long start(int block) {
        return (long) block * SIZE;
    }

    /** End (exclusive) of {@code block} in a replica of {@code length} bytes. */
    static long end(int block, long length) {
        return Math.min(start(block) + SIZE, length);
    }

    /** CRC32C of the buffer's remaining bytes; position and limit are left as they were. */
    static int crc(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        int position = buf.position();
        crc.update(buf);
        buf.position(position);
        return (int) crc.getValue();
    }

    /** CRC32C of {@code length} zero bytes ({@code length <= SIZE}); a full block's is precomputed. */
    static int zeroCrc(int length) {
        return length == SIZE ? FULL_ZERO_CRC : crc(zeros(length));
    }

    /** A read-only view of {@code length} zero bytes ({@code length <= SIZE}). */
    static ByteBuffer zeros(int length) {
        return ZEROS.duplicate().limit(length);
    }

    /** This thread's scratch block, cleared and limited to {@code length} bytes. */
    static ByteBuffer scratch(int length) {
        ByteBuffer buf = SCRATCH.get();
        buf.clear().limit(length);
        return buf;
    }

    /** Fills {@code dst} from {@code position}; EOFException if the file ends first. */
    static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, position);
            if (n < 0) {
                throw new EOFException("file ends at " + position);
            }
            position += n;
        }
    }

    /** Writes all of {@code src} at {@code position}. */
    static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        while (src.hasRemaining()) {
            position += ch.write(src, position);
        }
    }
}
