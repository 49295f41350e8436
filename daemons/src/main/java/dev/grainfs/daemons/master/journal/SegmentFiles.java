package dev.grainfs.daemons.master.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The set of segment files in a log directory, keyed by the txid of their first record.
 *
 * <p>A segment is named {@code log-<first txid, 20 digits>.wal} so that names sort in txid order; other files in the
 * directory are ignored. Thread-safe: the syncing thread adds segments while a checkpointer purges old ones.
 */
final class SegmentFiles {
  private static final Pattern NAME = Pattern.compile("log-(\\d{20})\\.wal");

  private final Path dir;
  private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();

  private SegmentFiles(Path dir) {
    this.dir = dir;
  }

  /** Lists the segments already in {@code dir}. */
  static SegmentFiles scan(Path dir) throws IOException {
    SegmentFiles files = new SegmentFiles(dir);
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "log-*.wal")) {
      for (Path p : stream) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
          files.segments.put(Long.parseLong(m.group(1)), p);
        }
      }
    }
    return files;
  }

  static String name(long firstTxid) {
    return String.format("log-%020d.wal", firstTxid);
  }

  Path dir() {
    return dir;
  }

  /** A snapshot of the segments, oldest first. */
  NavigableMap<Long, Path> snapshot() {
    return new ConcurrentSkipListMap<>(segments);
  }

  /** Creates the empty file for a new segment, failing if it exists; the caller fsyncs the directory. */
  Path create(long firstTxid) throws IOException {
    Path p = Files.createFile(dir.resolve(name(firstTxid)));
    segments.put(firstTxid, p);
    return p;
  }

  /** Deletes one segment (recovery's use: a last segment whose header never reached the disk). */
  void delete(long firstTxid) throws IOException {
    Path p = segments.remove(firstTxid);
    if (p != null) {
      Files.deleteIfExists(p);
    }
  }

  /**
   * Deletes, oldest first, every segment whose records all have txid <= {@code txid}; the newest segment is never
   * deleted because its last txid is not known from the names. Returns how many were deleted.
   */
  int purgeUpTo(long txid) throws IOException {
    int deleted = 0;
    for (Map.Entry<Long, Path> e : segments.entrySet()) {
      Long next = segments.higherKey(e.getKey());
      if (next == null || next - 1 > txid) {
        break;
      }
      Files.deleteIfExists(e.getValue());
      segments.remove(e.getKey());
      deleted++;
    }
    return deleted;
  }
}
