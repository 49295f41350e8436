package dev.grainfs.daemons.master.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Encodes and checks the fixed header at the start of every log segment file.
 *
 * <pre>
 *  offset 0                8          12                   20         24
 *         +----------------+----------+--------------------+----------+
 *         | magic          | version  | first txid         | crc32c   |
 *         | "GRAINWAL"     | u32 = 1  | u64                | u32      |
 *         +----------------+----------+--------------------+----------+
 *         \______________ crc32c covers bytes 0..19 _______/
 *  followed by record frames (see RecordFrame) up to the end of the file
 * </pre>
 */
final class SegmentHeader {
  static final int SIZE = 24;
  static final int VERSION = 1;
  private static final byte[] MAGIC = "GRAINWAL".getBytes(StandardCharsets.US_ASCII);

  private SegmentHeader() {}

  static byte[] encode(long firstTxid) {
    ByteBuffer buf = ByteBuffer.allocate(SIZE);
    buf.put(MAGIC).putInt(VERSION).putLong(firstTxid);
    buf.putInt(crc(buf.array()));
    return buf.array();
  }

  /**
   * Returns null when {@code data} starts with a sound header naming {@code firstTxid}; otherwise what is wrong.
   */
  static String problem(byte[] data, long firstTxid) {
    if (data.length < SIZE) {
      return "segment header cut short (" + data.length + " of " + SIZE + " bytes)";
    }
    ByteBuffer buf = ByteBuffer.wrap(data, 0, SIZE);
    if (!Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return "not a GrainFS log segment (bad magic)";
    }
    if (buf.getInt(8) != VERSION) {
      return "unsupported segment version " + buf.getInt(8);
    }
    if (buf.getInt(20) != crc(data)) {
      return "segment header checksum mismatch";
    }
    if (buf.getLong(12) != firstTxid) {
      return "header says first txid " + buf.getLong(12) + " but the file name says " + firstTxid;
    }
    return null;
  }

  private static int crc(byte[] header) {
    CRC32C crc = new CRC32C();
    crc.update(header, 0, 20);
    return (int) crc.getValue();
  }
}
