package dev.grainfs.daemons.chunkserver.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Encodes and decodes a replica's sidecar {@code <handle>.meta}: a self-checked header and one CRC32C per block.
 *
 * <pre>
 * &lt;handle&gt;.meta, all integers big-endian
 *
 *  0       4       6       8       12      16              24              32      36         64
 *  +-------+-------+-------+-------+-------+---------------+---------------+-------+----------+
 *  | magic |format | flags | block | block | chunk version | data length   |header | zeros    |
 *  | GRCM  |u16 = 1| u16   | size  | count | u64           | u64, bytes    |CRC32C | reserved |
 *  |       |       |       | u32   | u32 n |               | the CRCs cover|of 0-31|          |
 *  +-------+-------+-------+-------+-------+---------------+---------------+-------+----------+
 *  64      68      72                          64+4(n-1)   64+4n
 *  +-------+-------+--------------  ...  ------+-----------+-------------------------------+
 *  | crc 0 | crc 1 |                           | crc n-1   | zeros, preallocated at create |
 *  +-------+-------+--------------  ...  ------+-----------+-------------------------------+
 *  crc i = CRC32C of data bytes [i*64Ki, min((i+1)*64Ki, data length)); flags bit 0 = replica marked corrupt
 * </pre>
 *
 * <p>The header fits in one 512-byte sector and is rewritten in place after the CRCs, so a torn update leaves
 * either the old header or one that fails its own CRC. A flipped bit in a CRC entry fails that block's check.
 */
final class ChunkMetaFile {

    static final int MAGIC = 0x4752434D; // "GRCM"
    static final short FORMAT = 1;
    static final int HEADER_SIZE = 64;
    static final int FLAG_CORRUPT = 1;
    private static final int CHECKED_BYTES = 32;

    private ChunkMetaFile() {
    }

    /** What the sidecar says about its replica. */
    record Header(int flags, long version, long length) {

        boolean corrupt() {
            return (flags & FLAG_CORRUPT) != 0;
        }

        int blockCount() {
            return Blocks.count(length);
        }

        Header markedCorrupt() {
            return new Header(flags | FLAG_CORRUPT, version, length);
        }
    }

    /** Reads and checks the header; any damage is a {@link ChunkCorruptException} at {@code SIDECAR}. */
    static Header readHeader(FileChannel ch, long handle) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_SIZE);
        try {
            Blocks.readFully(ch, buf, 0);
        } catch (EOFException e) {
            throw bad(handle, "sidecar shorter than its header");
        }
        buf.flip();
        if (Blocks.crc(buf.duplicate().limit(CHECKED_BYTES)) != buf.getInt(CHECKED_BYTES)) {
            throw bad(handle, "sidecar header fails its CRC32C");
        }
        if (buf.getInt(0) != MAGIC || buf.getShort(4) != FORMAT || buf.getInt(8) != Blocks.SIZE) {
            throw bad(handle, "unknown sidecar magic, format or block size");
        }
        Header header = new Header(buf.getShort(6) & 0xffff, buf.getLong(16), buf.getLong(24));
        if (header.length() < 0 || buf.getInt(12) != header.blockCount()) {
            throw bad(handle, "sidecar block count does not match its length");
        }
        return header;
    }

    /** Reads the CRCs the header promises. */
    static BlockChecksums readChecksums(FileChannel ch, long handle, Header header) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(header.blockCount() * Integer.BYTES);
        try {
            Blocks.readFully(ch, buf, HEADER_SIZE);
        } catch (EOFException e) {
            throw bad(handle, "sidecar shorter than its block count");
        }
        return BlockChecksums.decode(buf.flip(), header.blockCount());
    }

    /** Writes the CRCs, then the header that makes them count; the caller forces if it needs durability. */
    static void write(FileChannel ch, Header header, BlockChecksums crcs) throws IOException {
        if (header.blockCount() != crcs.count()) {
            throw new IllegalStateException(header + " does not match " + crcs.count() + " CRCs");
        }
        Blocks.writeFully(ch, crcs.encode(), HEADER_SIZE);
        writeHeader(ch, header);
    }

    static void writeHeader(FileChannel ch, Header header) throws IOException {
        Blocks.writeFully(ch, encode(header), 0);
    }

    /** Creates a new sidecar with room for {@code preallocBlocks} CRCs, so later updates never need space. */
    static void create(Path path, Header header, int preallocBlocks) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(HEADER_SIZE + preallocBlocks * Integer.BYTES);
            buf.put(encode(header)).clear();
            Blocks.writeFully(ch, buf, 0);
            ch.force(true);
        }
    }

    private static ByteBuffer encode(Header header) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_SIZE);
        buf.putInt(MAGIC).putShort(FORMAT).putShort((short) header.flags()).putInt(Blocks.SIZE)
                .putInt(header.blockCount()).putLong(header.version()).putLong(header.length());
        buf.putInt(CHECKED_BYTES, Blocks.crc(buf.duplicate().flip()));
        return buf.clear();
    }

    private static ChunkCorruptException bad(long handle, String detail) {
        return new ChunkCorruptException(handle, ChunkCorruptException.SIDECAR, detail);
    }
}
