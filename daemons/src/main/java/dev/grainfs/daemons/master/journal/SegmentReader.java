package dev.grainfs.daemons.master.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks every frame of one segment file, hands the records after a given txid to a consumer, and tells a crash's
 * torn tail apart from corruption.
 *
 * <p>The rule: a bad frame is a torn tail only in the last segment and only when nothing valid follows it (short
 * frames, garbage and zero-filled preallocation all qualify). A bad frame in an older segment, or one followed by a
 * frame that checks out and carries a later txid, means the disk lost bytes it had acknowledged: that is corruption.
 */
final class SegmentReader {
  /**
   * How a segment ended.
   *
   * @param lastTxid txid of its last good record, or first txid - 1 if it holds none
   * @param validLength file offset just past the last good record (0 when even the header is torn)
   * @param tornTail null for a clean end, else why the bytes after {@code validLength} were rejected
   */
  record End(long lastTxid, long validLength, String tornTail) {}

  private SegmentReader() {}

  /**
   * Reads {@code file}, whose name says its first record is {@code firstTxid}, replaying records with txid >
   * {@code afterTxid}; {@code last} says whether it is the newest segment, the only one allowed a torn tail.
   */
  static End read(Path file, long firstTxid, boolean last, long afterTxid, RecordConsumer consumer)
      throws IOException {
    byte[] data = Files.readAllBytes(file);
    String headerProblem = SegmentHeader.problem(data, firstTxid);
    if (headerProblem != null) {
      if (last && isTornAt(data, 0, firstTxid - 1)) {
        return new End(firstTxid - 1, 0, headerProblem);
      }
      throw new JournalCorruptException(file, 0, headerProblem);
    }
    int pos = SegmentHeader.SIZE;
    long expected = firstTxid;
    while (pos < data.length) {
      String problem = RecordFrame.problemAt(data, pos, data.length);
      if (problem != null) {
        if (!last) {
          throw new JournalCorruptException(file, pos, "bad record in a segment that is not the newest: " + problem);
        }
        int next = nextValidFrame(data, pos, expected - 1);
        if (next >= 0) {
          throw new JournalCorruptException(file, pos,
              "bad record followed by a valid one at offset " + next + ", so not a torn tail: " + problem);
        }
        return new End(expected - 1, pos, problem);
      }
      long txid = RecordFrame.txid(data, pos);
      if (txid != expected) {
        throw new JournalCorruptException(file, pos, "record has txid " + txid + " where " + expected + " was expected");
      }
      if (txid > afterTxid) {
        consumer.accept(txid, RecordFrame.payload(data, pos));
      }
      pos += RecordFrame.size(RecordFrame.payloadLength(data, pos));
      expected++;
    }
    return new End(expected - 1, pos, null);
  }

  private static boolean isTornAt(byte[] data, int from, long lastGoodTxid) {
    return nextValidFrame(data, from, lastGoodTxid) < 0;
  }

  /** Offset of the first checksum-valid frame after {@code from} with a txid above {@code lastGoodTxid}, or -1. */
  private static int nextValidFrame(byte[] data, int from, long lastGoodTxid) {
    if (allZero(data, from)) {
      return -1; // preallocated or never-written blocks: the common torn tail, and cheap to recognise
    }
    for (int q = from + 1; q + RecordFrame.HEADER_BYTES <= data.length; q++) {
      if (RecordFrame.problemAt(data, q, data.length) == null && RecordFrame.txid(data, q) > lastGoodTxid) {
        return q;
      }
    }
    return -1;
  }

  private static boolean allZero(byte[] data, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
