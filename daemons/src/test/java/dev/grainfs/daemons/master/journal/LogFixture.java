package dev.grainfs.daemons.master.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers that build logs, reopen them and damage their files the way a crash or a bad disk would. */
final class LogFixture {
  /** One replayed record. */
  record Entry(long txid, byte[] payload) {}

  private LogFixture() {}

  /** Deterministic payload for txid {@code i}: length varies from 0 to {@code maxLen}, content depends on i. */
  static byte[] payload(long i, int maxLen) {
    byte[] b = new byte[(int) ((i * 37) % (maxLen + 1))];
    for (int k = 0; k < b.length; k++) {
      b[k] = (byte) (i * 31 + k);
    }
    return b;
  }

  /** Appends {@code count} payloads (txid-derived) to a new log, syncing every few records, and closes it. */
  static void write(Path dir, OpLogOptions options, int count, int maxLen) throws IOException {
    try (OpLog log = OpLog.open(dir, options, 0, (t, r) -> {})) {
      for (int i = 1; i <= count; i++) {
        long txid = log.append(payload(log.lastTxid() + 1, maxLen));
        if (i % 7 == 0) {
          log.sync(txid);
        }
      }
    }
  }

  /** Opens the log, collects everything replayed after {@code afterTxid}, and closes it again. */
  static List<Entry> replay(Path dir, OpLogOptions options, long afterTxid) throws IOException {
    List<Entry> out = new ArrayList<>();
    try (OpLog log = OpLog.open(dir, options, afterTxid, (t, r) -> out.add(new Entry(t, r)))) {
      return out;
    }
  }

  /** Segment files in txid order. */
  static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
    }
  }

  static Path lastSegment(Path dir) throws IOException {
    List<Path> segs = segments(dir);
    return segs.get(segs.size() - 1);
  }

  /** File offsets at which each record frame of a segment starts. */
  static List<Long> frameOffsets(Path segment) throws IOException {
    byte[] data = Files.readAllBytes(segment);
    List<Long> offsets = new ArrayList<>();
    int pos = SegmentHeader.SIZE;
    while (pos < data.length) {
      offsets.add((long) pos);
      pos += RecordFrame.size(RecordFrame.payloadLength(data, pos));
    }
    return offsets;
  }

  static void truncate(Path file, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length);
    }
  }

  static void flipByte(Path file, long offset) throws IOException {
    byte[] data = Files.readAllBytes(file);
    data[(int) offset] ^= 0x5a;
    Files.write(file, data);
  }

  static void appendBytes(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }

  /** Copies the files (not subdirectories) of {@code from} into a new directory {@code to}. */
  static Path copyDir(Path from, Path to) {
    try (Stream<Path> s = Files.list(from)) {
      Files.createDirectories(to);
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
