package dev.grainfs.daemons.master.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NavigableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the segments of a log directory after a checkpoint's txid, checks that txids run without gaps, and cuts a
 * torn tail off the newest segment.
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>Skip segments whose records all precede the checkpoint (known from the next segment's name) unread.
 *   <li>Fail if the oldest remaining segment starts after checkpoint txid + 1: records are missing.
 *   <li>Read each remaining segment: every frame must check out and carry the next txid; each segment must start
 *       where the previous one ended.
 *   <li>Truncate the newest segment after its last good record, or delete it if even its header is torn.
 * </ol>
 */
final class OpLogRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(OpLogRecovery.class);

  /**
   * What appending continues from.
   *
   * @param lastTxid the last txid in the log, or the checkpoint's txid if that is higher
   * @param tail segment to keep appending to, or null to start a new one with the next record
   * @param tailLength where the tail segment's last good record ends
   */
  record Recovered(long lastTxid, Path tail, long tailLength) {}

  private OpLogRecovery() {}

  static Recovered run(SegmentFiles files, long afterTxid, RecordConsumer consumer) throws IOException {
    NavigableMap<Long, Path> segments = files.snapshot();
    if (segments.isEmpty()) {
      return new Recovered(afterTxid, null, 0);
    }
    Long start = segments.floorKey(afterTxid + 1);
    if (start == null) {
      Map.Entry<Long, Path> first = segments.firstEntry();
      throw new JournalCorruptException(first.getValue(), 0, "the log starts at txid " + first.getKey()
          + " but replay must start at txid " + (afterTxid + 1) + ": the records between are missing");
    }
    long expected = start;
    Path tail = null;
    long tailLength = 0;
    for (Map.Entry<Long, Path> e : segments.tailMap(start, true).entrySet()) {
      Path file = e.getValue();
      if (e.getKey() != expected) {
        throw new JournalCorruptException(file, 0, "segment starts at txid " + e.getKey()
            + " but the previous segment ends at txid " + (expected - 1) + ": the records between are missing");
      }
      boolean last = e.getKey().equals(segments.lastKey());
      SegmentReader.End end = SegmentReader.read(file, e.getKey(), last, afterTxid, consumer);
      expected = end.lastTxid() + 1;
      tail = file;
      tailLength = end.validLength();
      if (end.tornTail() != null) {
        tail = cutTornTail(files, e.getKey(), file, end);
      }
    }
    long lastTxid = expected - 1;
    if (lastTxid < afterTxid) {
      // the checkpoint covers every record here; a new segment after it keeps txids contiguous from the checkpoint on
      LOG.warn("log in {} ends at txid {}, before checkpoint txid {}; continuing with a new segment at txid {}",
          files.dir(), lastTxid, afterTxid, afterTxid + 1);
      return new Recovered(afterTxid, null, 0);
    }
    return new Recovered(lastTxid, tail, tailLength);
  }

  /** Returns the segment to keep appending to: the cut file, or null when it was deleted. */
  private static Path cutTornTail(SegmentFiles files, long firstTxid, Path file, SegmentReader.End end)
      throws IOException {
    if (end.validLength() == 0) {
      LOG.warn("torn log segment {} at offset 0: header incomplete ({}); deleting the segment, last txid is {}",
          file, end.tornTail(), end.lastTxid());
      files.delete(firstTxid);
      Fsync.directory(files.dir());
      return null;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long size = ch.size();
      LOG.warn("torn tail in log segment {} at offset {}: {}; truncating {} bytes, last txid is {}",
          file, end.validLength(), end.tornTail(), size - end.validLength(), end.lastTxid());
      ch.truncate(end.validLength());
      ch.force(true);
    }
    return file;
  }
}
