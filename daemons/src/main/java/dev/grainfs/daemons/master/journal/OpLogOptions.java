package dev.grainfs.daemons.master.journal;

/**
 * Tunables of an {@link OpLog}, each with its default beside it.
 *
 * @param segmentBytes a segment is rolled over before a record would grow it past this size (a single larger record
 *     still gets a segment of its own); 1 KiB to 1 GiB, default 64 MiB
 * @param maxRecordBytes largest payload {@link OpLog#append} accepts; 1 byte to 256 MiB, default 16 MiB
 */
public record OpLogOptions(long segmentBytes, int maxRecordBytes) {
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;

  // recovery reads a whole segment into one array, so a segment must stay well under 2 GiB
  private static final long MAX_SEGMENT_BYTES = 1L << 30;
  private static final int MAX_RECORD_BYTES = 256 << 20;

  public OpLogOptions {
    if (segmentBytes < 1024 || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException("segmentBytes must be 1 KiB..1 GiB, was " + segmentBytes);
    }
    if (maxRecordBytes < 1 || maxRecordBytes > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("maxRecordBytes must be 1..256 MiB, was " + maxRecordBytes);
    }
  }

  public static OpLogOptions defaults() {
    return new OpLogOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_RECORD_BYTES);
  }

  public OpLogOptions withSegmentBytes(long bytes) {
    return new OpLogOptions(bytes, maxRecordBytes);
  }

  public OpLogOptions withMaxRecordBytes(int bytes) {
    return new OpLogOptions(segmentBytes, bytes);
  }
}
