package dev.grainfs.daemons.master.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage that a crash cannot cause must stop recovery with an error naming the file and offset. */
class OpLogCorruptionTest {
  private static final OpLogOptions SMALL = OpLogOptions.defaults().withSegmentBytes(4096);

  @TempDir Path dir;

  @Test
  void flippedPayloadByteInTheMiddleOfTheNewestSegment() throws IOException {
    LogFixture.write(dir, OpLogOptions.defaults(), 100, 300);
    Path segment = LogFixture.lastSegment(dir);
    long record50 = LogFixture.frameOffsets(segment).get(49);
    LogFixture.flipByte(segment, record50 + RecordFrame.HEADER_BYTES + 3);

    JournalCorruptException e = assertCorrupt(segment, record50);
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("followed by a valid one"), e.getMessage());
  }

  @Test
  void flippedLengthByteInTheMiddleOfTheNewestSegment() throws IOException {
    LogFixture.write(dir, OpLogOptions.defaults(), 100, 300);
    Path segment = LogFixture.lastSegment(dir);
    long record70 = LogFixture.frameOffsets(segment).get(69);
    LogFixture.flipByte(segment, record70 + 2);

    assertCorrupt(segment, record70);
  }

  @Test
  void flippedByteInTheLastRecordOfAnOlderSegment() throws IOException {
    LogFixture.write(dir, SMALL, 200, 300);
    Path first = LogFixture.segments(dir).get(0);
    List<Long> frames = LogFixture.frameOffsets(first);
    long lastFrame = frames.get(frames.size() - 1);
    LogFixture.flipByte(first, Files.size(first) - 1);

    JournalCorruptException e = assertCorrupt(first, lastFrame);
    assertTrue(e.getMessage().contains("not the newest"), e.getMessage());
  }

  @Test
  void truncatedOlderSegmentIsNotATornTail() throws IOException {
    LogFixture.write(dir, SMALL, 200, 300);
    Path second = LogFixture.segments(dir).get(1);
    long lastFrame = LogFixture.frameOffsets(second).get(LogFixture.frameOffsets(second).size() - 1);
    LogFixture.truncate(second, lastFrame + 5);

    assertCorrupt(second, lastFrame);
  }

  @Test
  void flippedHeaderByteOfTheNewestSegment() throws IOException {
    LogFixture.write(dir, SMALL, 200, 300);
    Path last = LogFixture.lastSegment(dir);
    LogFixture.flipByte(last, 3);

    assertCorrupt(last, 0);
  }

  @Test
  void missingMiddleSegmentIsAGap() throws IOException {
    LogFixture.write(dir, SMALL, 200, 300);
    List<Path> segments = LogFixture.segments(dir);
    Files.delete(segments.get(2));

    JournalCorruptException e = assertCorrupt(segments.get(3), 0);
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void segmentRenamedToAnotherTxidIsCaught() throws IOException {
    LogFixture.write(dir, SMALL, 200, 300);
    Path last = LogFixture.lastSegment(dir);
    long first = Long.parseLong(last.getFileName().toString().substring(4, 24));
    Path renamed = dir.resolve(SegmentFiles.name(first + 1));
    Files.move(last, renamed);

    assertThrows(JournalCorruptException.class, () -> LogFixture.replay(dir, SMALL, 0));
  }

  private JournalCorruptException assertCorrupt(Path file, long offset) {
    JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> LogFixture.replay(dir, SMALL, 0));
    assertEquals(file, e.file());
    assertEquals(offset, e.offset());
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
    return e;
  }
}
