package dev.grainfs.daemons.master.journal;

import static dev.grainfs.daemons.master.journal.LogFixture.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpLogTest {
  private static final OpLogOptions SMALL = OpLogOptions.defaults().withSegmentBytes(4096);

  @TempDir Path dir;

  @Test
  void recordsSurviveReopenAcrossManyRollovers() throws IOException {
    LogFixture.write(dir, SMALL, 2000, 300);

    List<Path> segments = LogFixture.segments(dir);
    assertTrue(segments.size() > 50, "expected many segments, got " + segments.size());
    assertEquals(SegmentFiles.name(1), segments.get(0).getFileName().toString());
    for (Path p : segments) {
      assertTrue(Files.size(p) <= 4096, p + " is larger than the segment size");
    }
    assertReplay(LogFixture.replay(dir, SMALL, 0), 1, 2000);
  }

  @Test
  void txidsContinueAfterReopen() throws IOException {
    LogFixture.write(dir, SMALL, 100, 300);
    try (OpLog log = OpLog.open(dir, SMALL, 0, (t, r) -> {})) {
      assertEquals(100, log.lastTxid());
      assertEquals(100, log.durableTxid());
      assertEquals(101, log.append(payload(101, 300)));
      assertEquals(102, log.append(payload(102, 300)));
    }
    assertReplay(LogFixture.replay(dir, SMALL, 0), 1, 102);
  }

  @Test
  void replayStartsAfterTheCheckpointTxid() throws IOException {
    LogFixture.write(dir, SMALL, 500, 300);
    assertReplay(LogFixture.replay(dir, SMALL, 321), 322, 500);
    assertReplay(LogFixture.replay(dir, SMALL, 500), 501, 500);
  }

  @Test
  void purgeDeletesOnlySegmentsWhollyAtOrBelowTheTxid() throws IOException {
    LogFixture.write(dir, SMALL, 500, 300);
    List<Long> firsts = firstTxids();
    long purgeTo = firsts.get(5) + 1; // inside the sixth segment
    try (OpLog log = OpLog.open(dir, SMALL, 0, (t, r) -> {})) {
      assertEquals(5, log.purgeUpTo(purgeTo));
      assertEquals(0, log.purgeUpTo(purgeTo));
    }
    assertEquals(firsts.subList(5, firsts.size()), firstTxids());
    assertReplay(LogFixture.replay(dir, SMALL, purgeTo), purgeTo + 1, 500);

    long sixthEnds = firsts.get(6) - 1;
    try (OpLog log = OpLog.open(dir, SMALL, purgeTo, (t, r) -> {})) {
      assertEquals(1, log.purgeUpTo(sixthEnds));
    }
    assertEquals(firsts.subList(6, firsts.size()), firstTxids());
    assertReplay(LogFixture.replay(dir, SMALL, sixthEnds), sixthEnds + 1, 500);

    JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> LogFixture.replay(dir, SMALL, 0));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void purgeKeepsTheNewestSegmentEvenWhenItIsCovered() throws IOException {
    LogFixture.write(dir, SMALL, 500, 300);
    try (OpLog log = OpLog.open(dir, SMALL, 0, (t, r) -> {})) {
      log.purgeUpTo(500);
      assertEquals(1, LogFixture.segments(dir).size());
      assertEquals(501, log.append(payload(501, 300)));
    }
    assertReplay(LogFixture.replay(dir, SMALL, 500), 501, 501);
  }

  @Test
  void emptyLogStartsAtTxidOneAndCreatesSegmentsLazily() throws IOException {
    try (OpLog log = OpLog.open(dir, SMALL, 0, (t, r) -> {})) {
      assertEquals(0, log.lastTxid());
      log.sync(0);
      assertTrue(LogFixture.segments(dir).isEmpty());
      long txid = log.append(payload(1, 300));
      assertEquals(1, txid);
      log.sync(txid);
    }
    assertEquals(SegmentFiles.name(1), LogFixture.lastSegment(dir).getFileName().toString());
    assertEquals(1, LogFixture.replay(dir, SMALL, 0).size());
  }

  @Test
  void checkpointBeyondTheLogStartsANewSegmentAfterIt() throws IOException {
    LogFixture.write(dir, SMALL, 10, 300);
    try (OpLog log = OpLog.open(dir, SMALL, 40, (t, r) -> {})) {
      assertEquals(41, log.append(payload(41, 300)));
    }
    assertEquals(SegmentFiles.name(41), LogFixture.lastSegment(dir).getFileName().toString());
    assertReplay(LogFixture.replay(dir, SMALL, 40), 41, 41);
  }

  @Test
  void misuseIsRefused() throws IOException {
    OpLog log = OpLog.open(dir, SMALL.withMaxRecordBytes(100), 0, (t, r) -> {});
    assertThrows(IllegalArgumentException.class, () -> log.append(new byte[101]));
    assertThrows(IllegalArgumentException.class, () -> log.sync(1));
    assertThrows(IOException.class, () -> OpLog.open(dir, SMALL, 0, (t, r) -> {}), "second open of a locked dir");
    log.close();
    assertThrows(IllegalStateException.class, () -> log.append(new byte[1]));
    log.close(); // idempotent
  }

  private List<Long> firstTxids() throws IOException {
    return LogFixture.segments(dir).stream().map(OpLogTest::firstTxid).toList();
  }

  private static long firstTxid(Path segment) {
    String name = segment.getFileName().toString();
    return Long.parseLong(name.substring("log-".length(), name.length() - ".wal".length()));
  }

  /** The replay is exactly txids from..to, each with the payload {@link LogFixture#payload} gives it. */
  static void assertReplay(List<LogFixture.Entry> replayed, long from, long to) {
    assertEquals(to - from + 1, replayed.size(), "records replayed");
    for (int i = 0; i < replayed.size(); i++) {
      LogFixture.Entry e = replayed.get(i);
      assertEquals(from + i, e.txid());
      assertArrayEquals(payload(e.txid(), 300), e.payload(), "payload of txid " + e.txid());
    }
  }
}
