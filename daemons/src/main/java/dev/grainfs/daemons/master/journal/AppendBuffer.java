package dev.grainfs.daemons.master.journal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encoded record frames waiting for the next sync, with the points where a new segment file must begin.
 *
 * <p>Not thread-safe: {@link OpLog} fills one under its append lock and hands it whole to the syncing thread.
 */
final class AppendBuffer {
  /** Bytes from {@code offset} on belong to a new segment whose first record has {@code firstTxid}. */
  record SegmentStart(int offset, long firstTxid) {}

  private static final int INITIAL_CAPACITY = 64 << 10;
  // a burst may grow the buffer; keep no more than this between syncs
  private static final int RETAINED_CAPACITY = 4 << 20;

  private byte[] bytes = new byte[INITIAL_CAPACITY];
  private int size;
  private long lastTxid;
  private final List<SegmentStart> segmentStarts = new ArrayList<>();

  /** Marks that the next appended record starts a new segment. */
  void startSegment(long firstTxid) {
    segmentStarts.add(new SegmentStart(size, firstTxid));
  }

  void append(long txid, byte[] payload) {
    int frame = RecordFrame.size(payload.length);
    ensureRoom(frame);
    RecordFrame.encode(txid, payload, bytes, size);
    size += frame;
    lastTxid = txid;
  }

  boolean isEmpty() {
    return size == 0 && segmentStarts.isEmpty();
  }

  byte[] bytes() {
    return bytes;
  }

  int size() {
    return size;
  }

  /** Txid of the newest record appended since the last {@link #clear}, or 0 if none. */
  long lastTxid() {
    return lastTxid;
  }

  List<SegmentStart> segmentStarts() {
    return segmentStarts;
  }

  void clear() {
    size = 0;
    lastTxid = 0;
    segmentStarts.clear();
    if (bytes.length > RETAINED_CAPACITY) {
      bytes = new byte[INITIAL_CAPACITY];
    }
  }

  private void ensureRoom(int more) {
    long needed = (long) size + more;
    if (needed <= bytes.length) {
      return;
    }
    if (needed > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("more than 2 GiB appended without a sync");
    }
    bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min((long) bytes.length * 2, Integer.MAX_VALUE - 8)));
  }
}
