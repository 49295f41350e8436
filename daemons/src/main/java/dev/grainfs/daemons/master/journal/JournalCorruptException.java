package dev.grainfs.daemons.master.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A log segment or checkpoint holds bytes that cannot be a crash's torn tail; recovery must stop for an operator.
 *
 * <p>The message always names the file and, where one is known, the byte offset of the first bad byte.
 */
public final class JournalCorruptException extends IOException {
  private final Path file;
  private final long offset;

  public JournalCorruptException(Path file, long offset, String problem) {
    super(file + " at offset " + offset + ": " + problem);
    this.file = file;
    this.offset = offset;
  }

  /** The corrupt file. */
  public Path file() {
    return file;
  }

  /** Byte offset in {@link #file()} where the problem starts. */
  public long offset() {
    return offset;
  }
}
