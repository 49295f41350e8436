package dev.grainfs.daemons.master.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Encodes and checks one record frame of a log segment.
 *
 * <pre>
 *  offset 0        4          8                   16                 16 + len
 *         +--------+----------+-------------------+------------------+
 *         | len    | crc32c   | txid              | payload          |
 *         | u32    | u32      | u64               | len bytes        |
 *         +--------+----------+-------------------+------------------+
 *                             \_________ crc32c covers these ________/
 *  all integers big-endian; len is the payload length (0 allowed)
 * </pre>
 *
 * <p>The checksum covers the txid so that a frame copied to the wrong place, or a zero-filled region, never checks out.
 */
final class RecordFrame {
  static final int HEADER_BYTES = 16;

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private RecordFrame() {}

  /** Bytes a frame around a payload of this length takes. */
  static int size(int payloadLength) {
    return HEADER_BYTES + payloadLength;
  }

  /** Writes the whole frame for {@code payload} at {@code dst[off]}; the caller made room for {@link #size}. */
  static void encode(long txid, byte[] payload, byte[] dst, int off) {
    INT.set(dst, off, payload.length);
    LONG.set(dst, off + 8, txid);
    System.arraycopy(payload, 0, dst, off + HEADER_BYTES, payload.length);
    INT.set(dst, off + 4, checksum(dst, off, payload.length));
  }

  /**
   * Returns null when a whole frame with a matching checksum starts at {@code data[off]} and ends at or before
   * {@code end}; otherwise a short description of what is wrong with it.
   */
  static String problemAt(byte[] data, int off, int end) {
    int available = end - off;
    if (available < HEADER_BYTES) {
      return "frame header cut short (" + available + " of " + HEADER_BYTES + " bytes)";
    }
    long len = Integer.toUnsignedLong((int) INT.get(data, off));
    if (len > available - HEADER_BYTES) {
      return "frame length " + len + " runs past the end of the file (" + (available - HEADER_BYTES) + " bytes left)";
    }
    int stored = (int) INT.get(data, off + 4);
    int actual = checksum(data, off, (int) len);
    if (stored != actual) {
      return String.format("checksum mismatch (stored %08x, computed %08x)", stored, actual);
    }
    return null;
  }

  /** Payload length of the frame at {@code off}; only meaningful once {@link #problemAt} returned null. */
  static int payloadLength(byte[] data, int off) {
    return (int) INT.get(data, off);
  }

  /** Txid of the frame at {@code off}; only meaningful once {@link #problemAt} returned null. */
  static long txid(byte[] data, int off) {
    return (long) LONG.get(data, off + 8);
  }

  /** Copy of the payload of the frame at {@code off}. */
  static byte[] payload(byte[] data, int off) {
    int len = payloadLength(data, off);
    byte[] out = new byte[len];
    System.arraycopy(data, off + HEADER_BYTES, out, 0, len);
    return out;
  }

  private static int checksum(byte[] frame, int off, int payloadLength) {
    CRC32C crc = new CRC32C();
    crc.update(frame, off + 8, 8 + payloadLength);
    return (int) crc.getValue();
  }
}
