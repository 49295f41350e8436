package dev.grainfs.daemons.master.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Encodes the header and footer of a checkpoint file and verifies a whole file against them.
 *
 * <pre>
 *  offset 0             8         12              20                      20 + n     28 + n   32 + n    36 + n
 *         +-------------+---------+---------------+-----------------------+----------+--------+---------+
 *         | magic       | version | txid          | body (the caller's    | body len | crc32c | end     |
 *         | "GRAINCKP"  | u32 = 1 | u64           | state, n bytes)       | u64 = n  | u32    | "CKPT"  |
 *         +-------------+---------+---------------+-----------------------+----------+--------+---------+
 *         \______________ crc32c covers bytes 0 .. 20 + n - 1 ___________/
 *  all integers big-endian; the footer lets a reader tell a whole file from a cut one without trusting the body
 * </pre>
 */
final class CheckpointFormat {
  static final int HEADER_SIZE = 20;
  static final int FOOTER_SIZE = 16;
  static final int VERSION = 1;
  private static final byte[] MAGIC = "GRAINCKP".getBytes(StandardCharsets.US_ASCII);
  private static final int END_MAGIC = 0x434b5054; // "CKPT"

  private CheckpointFormat() {}

  static byte[] header(long txid) {
    return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).putInt(VERSION).putLong(txid).array();
  }

  static byte[] footer(long bodyLength, int crc) {
    return ByteBuffer.allocate(FOOTER_SIZE).putLong(bodyLength).putInt(crc).putInt(END_MAGIC).array();
  }

  /**
   * Reads all of {@code file} and returns it as a checkpoint if header, length and checksum agree with each other
   * and with the {@code txid} its name gives.
   *
   * @throws JournalCorruptException naming the file and the offset of the first disagreement
   */
  static Checkpoint verify(Path file, long txid) throws IOException {
    long size = Files.size(file);
    if (size < HEADER_SIZE + FOOTER_SIZE) {
      throw corrupt(file, 0, "only " + size + " bytes, shorter than header and footer");
    }
    long bodyLength = size - HEADER_SIZE - FOOTER_SIZE;
    CRC32C crc = new CRC32C();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] header = in.readNBytes(HEADER_SIZE);
      checkHeader(file, header, txid);
      crc.update(header);
      byte[] buf = new byte[1 << 20];
      for (long left = bodyLength; left > 0; ) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw corrupt(file, size - left, "file shrank while being verified");
        }
        crc.update(buf, 0, n);
        left -= n;
      }
      ByteBuffer footer = ByteBuffer.wrap(in.readNBytes(FOOTER_SIZE));
      long footerAt = HEADER_SIZE + bodyLength;
      if (footer.remaining() < FOOTER_SIZE || footer.getInt(12) != END_MAGIC) {
        throw corrupt(file, footerAt, "no footer: the file was cut short or overwritten");
      }
      if (footer.getLong(0) != bodyLength) {
        throw corrupt(file, footerAt, "footer says the body has " + footer.getLong(0) + " bytes, file has "
            + bodyLength);
      }
      int stored = footer.getInt(8);
      if (stored != (int) crc.getValue()) {
        throw corrupt(file, HEADER_SIZE, String.format("body checksum mismatch (stored %08x, computed %08x)",
            stored, (int) crc.getValue()));
      }
      return new Checkpoint(file, txid, bodyLength, stored);
    }
  }

  private static void checkHeader(Path file, byte[] header, long txid) throws JournalCorruptException {
    ByteBuffer h = ByteBuffer.wrap(header);
    if (!Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw corrupt(file, 0, "not a GrainFS checkpoint (bad magic)");
    }
    if (h.getInt(8) != VERSION) {
      throw corrupt(file, 8, "unsupported checkpoint version " + h.getInt(8));
    }
    if (h.getLong(12) != txid) {
      throw corrupt(file, 12, "header says txid " + h.getLong(12) + " but the file name says " + txid);
    }
  }

  static JournalCorruptException corrupt(Path file, long offset, String problem) {
    return new JournalCorruptException(file, offset, problem
        + "; to recover from the previous checkpoint and the log, move this file out of the directory");
  }
}
