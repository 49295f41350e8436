package dev.grainfs.daemons.master.journal;

import static dev.grainfs.daemons.master.journal.LogFixture.payload;
import static dev.grainfs.daemons.master.journal.OpLogTest.assertReplay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crash mid-write leaves a torn last record: recovery must cut it off and keep everything before it. */
class OpLogTornTailTest {
  private static final OpLogOptions SMALL = OpLogOptions.defaults().withSegmentBytes(4096);

  @TempDir Path tmp;

  @Test
  void lastRecordCutAtEveryByteOffsetIsDropped() throws IOException {
    Path pristine = tmp.resolve("pristine");
    LogFixture.write(pristine, SMALL, 60, 300);
    String lastName = LogFixture.lastSegment(pristine).getFileName().toString();
    List<Long> frames = LogFixture.frameOffsets(LogFixture.lastSegment(pristine));
    long recordStart = frames.get(frames.size() - 1);
    long fileEnd = Files.size(LogFixture.lastSegment(pristine));

    for (long cut = recordStart; cut < fileEnd; cut++) {
      Path dir = LogFixture.copyDir(pristine, tmp.resolve("cut-" + cut));
      LogFixture.truncate(dir.resolve(lastName), cut);

      assertReplay(LogFixture.replay(dir, SMALL, 0), 1, 59);
      assertEquals(recordStart, Files.size(dir.resolve(lastName)), "torn bytes truncated at cut " + cut);
      appendOne(dir, 60);
      assertReplay(LogFixture.replay(dir, SMALL, 0), 1, 60);
    }
  }

  @Test
  void newSegmentTornAnywhereInHeaderOrOnlyRecordIsDropped() throws IOException {
    // 300-byte payloads: three frames fill a 1 KiB segment, so record 4 is alone in the second segment
    OpLogOptions options = SMALL.withSegmentBytes(1024);
    Path pristine = tmp.resolve("pristine");
    try (OpLog log = OpLog.open(pristine, options, 0, (t, r) -> {})) {
      for (int i = 1; i <= 4; i++) {
        log.sync(log.append(fixed(i)));
      }
    }
    List<Path> segments = LogFixture.segments(pristine);
    assertEquals(2, segments.size());
    String lastName = segments.get(1).getFileName().toString();
    long fileEnd = Files.size(segments.get(1));

    for (long cut = 0; cut < fileEnd; cut++) {
      Path dir = LogFixture.copyDir(pristine, tmp.resolve("cut-" + cut));
      LogFixture.truncate(dir.resolve(lastName), cut);
      try (OpLog log = OpLog.open(dir, options, 0, (t, r) -> {})) {
        assertEquals(3, log.lastTxid(), "cut " + cut);
        assertEquals(cut >= SegmentHeader.SIZE, Files.exists(dir.resolve(lastName)), "segment kept, cut " + cut);
        log.sync(log.append(fixed(4)));
      }
      try (OpLog log = OpLog.open(dir, options, 0, (t, r) -> {})) {
        assertEquals(4, log.lastTxid(), "after re-append, cut " + cut);
      }
    }
  }

  @Test
  void zeroFilledTailIsATornTail() throws IOException {
    LogFixture.write(tmp, SMALL, 60, 300);
    Path last = LogFixture.lastSegment(tmp);
    long end = Files.size(last);
    LogFixture.appendBytes(last, new byte[8192]);

    assertReplay(LogFixture.replay(tmp, SMALL, 0), 1, 60);
    assertEquals(end, Files.size(last));
  }

  @Test
  void randomGarbageAfterTheLastRecordIsATornTail() throws IOException {
    LogFixture.write(tmp, SMALL, 60, 300);
    byte[] garbage = new byte[777];
    new Random(7).nextBytes(garbage);
    LogFixture.appendBytes(LogFixture.lastSegment(tmp), garbage);

    assertReplay(LogFixture.replay(tmp, SMALL, 0), 1, 60);
  }

  @Test
  void cleanShutdownLogsNoTornTail() throws IOException {
    LogFixture.write(tmp, SMALL, 60, 300);
    long size = Files.size(LogFixture.lastSegment(tmp));
    assertReplay(LogFixture.replay(tmp, SMALL, 0), 1, 60);
    assertEquals(size, Files.size(LogFixture.lastSegment(tmp)));
    assertFalse(LogFixture.segments(tmp).isEmpty());
  }

  private static void appendOne(Path dir, long expectedTxid) throws IOException {
    try (OpLog log = OpLog.open(dir, SMALL, 0, (t, r) -> {})) {
      assertEquals(expectedTxid, log.append(payload(expectedTxid, 300)));
    }
  }

  private static byte[] fixed(int i) {
    byte[] b = new byte[300];
    Arrays.fill(b, (byte) i);
    return b;
  }
}
