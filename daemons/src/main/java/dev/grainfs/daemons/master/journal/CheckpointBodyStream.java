package dev.grainfs.daemons.master.journal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Streams the body of a checkpoint file and fails at its end unless the checksum still matches. */
final class CheckpointBodyStream extends InputStream {
  private final Path file;
  private final InputStream in;
  private final CRC32C crc = new CRC32C();
  private final int expectedCrc;
  private long left;

  CheckpointBodyStream(Path file, long bodyLength, int expectedCrc) throws IOException {
    this.file = file;
    this.expectedCrc = expectedCrc;
    this.left = bodyLength;
    this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      byte[] header = in.readNBytes(CheckpointFormat.HEADER_SIZE);
      crc.update(header);
      checkEnd(); // an empty body ends right here
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (left == 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) {
      throw CheckpointFormat.corrupt(file, CheckpointFormat.HEADER_SIZE, "file shrank while being read");
    }
    crc.update(b, off, n);
    left -= n;
    checkEnd();
    return n;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), left);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void checkEnd() throws JournalCorruptException {
    if (left == 0 && (int) crc.getValue() != expectedCrc) {
      throw CheckpointFormat.corrupt(file, CheckpointFormat.HEADER_SIZE, "body changed after it was verified");
    }
  }
}
