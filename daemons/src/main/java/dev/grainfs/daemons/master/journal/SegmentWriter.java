package dev.grainfs.daemons.master.journal;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes drained append buffers to the tail segment file, starting new segments where the buffer says, and forces them.
 *
 * <p>Not thread-safe: only the one thread that holds {@link OpLog}'s sync turn calls it. Writes go through
 * {@link RandomAccessFile} rather than a FileChannel because a channel closes itself when its thread is interrupted.
 */
final class SegmentWriter implements Closeable {
  private final SegmentFiles files;
  private final AtomicLong fsyncs = new AtomicLong();
  private RandomAccessFile tail; // null until the first segment exists
  private boolean tailDirty;

  /**
   * @param tailPath segment to keep appending to, or null to start a new one with the first record
   * @param tailLength where its last good record ends
   */
  SegmentWriter(SegmentFiles files, Path tailPath, long tailLength) throws IOException {
    this.files = files;
    if (tailPath != null) {
      tail = new RandomAccessFile(tailPath.toFile(), "rw");
      tail.seek(tailLength);
    }
  }

  /** Writes every frame of {@code batch} to disk (not yet forced), rolling segments at its segment starts. */
  void write(AppendBuffer batch) throws IOException {
    int from = 0;
    for (AppendBuffer.SegmentStart start : batch.segmentStarts()) {
      writeTail(batch.bytes(), from, start.offset());
      roll(start.firstTxid());
      from = start.offset();
    }
    writeTail(batch.bytes(), from, batch.size());
  }

  /** Forces what {@link #write} wrote to stable storage. */
  void force() throws IOException {
    if (tailDirty) {
      Fsync.file(tail.getFD());
      fsyncs.incrementAndGet();
      tailDirty = false;
    }
  }

  /** fsync(2) calls so far, of segment files and of the directory. */
  long fsyncCount() {
    return fsyncs.get();
  }

  @Override
  public void close() throws IOException {
    if (tail != null) {
      tail.close();
    }
  }

  private void writeTail(byte[] bytes, int from, int to) throws IOException {
    if (to > from) {
      tail.write(bytes, from, to - from);
      tailDirty = true;
    }
  }

  // the old segment is forced before it is closed: its records must be durable once this sync returns
  private void roll(long firstTxid) throws IOException {
    if (tail != null) {
      force();
      tail.close();
      tail = null;
    }
    Path p = files.create(firstTxid);
    tail = new RandomAccessFile(p.toFile(), "rw");
    tail.write(SegmentHeader.encode(firstTxid));
    tailDirty = true;
    Fsync.directory(files.dir());
    fsyncs.incrementAndGet();
  }
}
