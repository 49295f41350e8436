package dev.grainfs.daemons.master.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An exclusive OS lock on a file in a log directory, so that two processes never append to the same log. */
final class DirectoryLock implements Closeable {
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock held in {@code dir/name}, failing at once if another process or OpLog holds it. */
  static DirectoryLock acquire(Path dir, String name) throws IOException {
    Path file = dir.resolve(name);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw new IOException(file + " is locked by another process: is a master already running on " + dir + "?");
      }
      return new DirectoryLock(ch, lock);
    } catch (OverlappingFileLockException e) {
      ch.close();
      throw new IOException(file + " is locked by another OpLog in this process", e);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
