package dev.grainfs.daemons.master.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A checkpoint file whose checksum was verified: the state of the master as of {@link #txid()}.
 *
 * <p>Immutable and thread-safe; each {@link #openBody()} returns an independent stream.
 */
public final class Checkpoint {
  private final Path file;
  private final long txid;
  private final long bodyLength;
  private final int crc;

  Checkpoint(Path file, long txid, long bodyLength, int crc) {
    this.file = file;
    this.txid = txid;
    this.bodyLength = bodyLength;
    this.crc = crc;
  }

  /** Every record up to this txid is reflected in the body; replay the log from txid + 1. */
  public long txid() {
    return txid;
  }

  public Path file() {
    return file;
  }

  /** Length of what the writer callback wrote. */
  public long bodyLength() {
    return bodyLength;
  }

  /**
   * Opens the bytes the writer callback wrote. The checksum is checked again while reading: the stream throws
   * {@link JournalCorruptException} on reaching the end if the file changed since it was verified.
   */
  public InputStream openBody() throws IOException {
    return new CheckpointBodyStream(file, bodyLength, crc);
  }

  @Override
  public String toString() {
    return "Checkpoint[txid=" + txid + ", " + file + ", " + bodyLength + " bytes]";
  }
}
