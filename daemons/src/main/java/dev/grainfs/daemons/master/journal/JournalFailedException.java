package dev.grainfs.daemons.master.journal;

import java.io.IOException;

/**
 * The operation log saw a write or fsync fail and refuses all further work, because it can no longer tell what is durable.
 *
 * <p>A master that gets this must stop without acknowledging anything more; a restart recovers from disk.
 */
public final class JournalFailedException extends IOException {
  public JournalFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
