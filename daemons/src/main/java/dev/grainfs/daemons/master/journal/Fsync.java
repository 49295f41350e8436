package dev.grainfs.daemons.master.journal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Forces files and directories to stable storage without letting a thread interrupt break the journal.
 *
 * <p>Why not {@code FileChannel.force} for files: a FileChannel closes itself for good when the thread using it is
 * interrupted, and request threads of a server do get interrupted (shutdown, timeouts). {@link FileDescriptor#sync}
 * is the same fsync(2) and is not interruptible. Directories can only be forced through a channel, so that is
 * retried on a fresh channel when an interrupt closed it.
 */
final class Fsync {
  private Fsync() {}

  /** fsync(2) of an open file: data and metadata, including its length. */
  static void file(FileDescriptor fd) throws IOException {
    fd.sync();
  }

  /** fsync(2) of a directory, so that file creations, renames and deletions in it survive a crash. */
  static void directory(Path dir) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      for (int attempt = 1; ; attempt++) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
          ch.force(true);
          return;
        } catch (ClosedByInterruptException e) {
          interrupted |= Thread.interrupted();
          if (attempt == 3) {
            throw e;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
