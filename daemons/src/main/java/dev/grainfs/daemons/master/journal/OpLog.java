package dev.grainfs.daemons.master.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's append-only operation log: opaque records numbered by txid, made durable with group commit.
 *
 * <p>Threading: {@link #append} is cheap (a copy into memory, no I/O) and may be called under the caller's own lock;
 * txids come out in call order. {@link #sync} may be called by any number of threads at once: one of them writes and
 * fsyncs everything appended so far while the others wait for its result, and records appended during that fsync
 * go out with the next one. Every method is thread-safe. Do not hold a lock that appenders need while calling
 * {@link #sync}, or the batch cannot grow.
 *
 * <p>Errors: if a write or fsync fails, the log is failed for good and every later {@link #append} and
 * {@link #sync} throws {@link JournalFailedException}; the process should stop and recover from disk on restart.
 *
 * <p>On disk: a directory of segment files, see {@link SegmentFiles}, {@link SegmentHeader} and {@link RecordFrame}.
 */
public final class OpLog implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(OpLog.class);
  private static final String LOCK_FILE = "oplog.lock";

  private final OpLogOptions options;
  private final SegmentFiles files;
  private final SegmentWriter writer;
  private final DirectoryLock dirLock;

  private final Object appendLock = new Object();
  private AppendBuffer filling = new AppendBuffer(); // guarded by appendLock
  private volatile long lastTxid; // written under appendLock
  private boolean tailOpen; // guarded by appendLock: false until a segment to append to exists or is planned
  private long tailBytes; // guarded by appendLock: size the tail segment will have once everything is written
  private boolean closed; // guarded by appendLock

  private final Object syncLock = new Object();
  private AppendBuffer draining = new AppendBuffer(); // used only by the thread holding the sync turn
  private boolean syncInProgress; // guarded by syncLock
  private volatile long durableTxid;
  private volatile Throwable failure;

  private OpLog(OpLogOptions options, SegmentFiles files, DirectoryLock dirLock, OpLogRecovery.Recovered recovered)
      throws IOException {
    this.options = options;
    this.files = files;
    this.dirLock = dirLock;
    this.writer = new SegmentWriter(files, recovered.tail(), recovered.tailLength());
    this.lastTxid = recovered.lastTxid();
    this.durableTxid = recovered.lastTxid();
    this.tailOpen = recovered.tail() != null;
    this.tailBytes = recovered.tailLength();
  }

  /**
   * Opens (creating if needed) the log in {@code dir}, replays to {@code replay} every record with txid >
   * {@code afterTxid} in txid order, and cuts off a torn last record. The next append gets the txid after the last
   * record, or after {@code afterTxid} if that is higher.
   *
   * @param afterTxid txid of the checkpoint the caller loaded, 0 for none
   * @throws JournalCorruptException if the log is damaged anywhere but its last record, or has a gap; records before
   *     the damage may already have been replayed, so the caller must discard what it rebuilt
   */
  public static OpLog open(Path dir, OpLogOptions options, long afterTxid, RecordConsumer replay) throws IOException {
    Files.createDirectories(dir);
    DirectoryLock lock = DirectoryLock.acquire(dir, LOCK_FILE);
    try {
      SegmentFiles files = SegmentFiles.scan(dir);
      OpLogRecovery.Recovered recovered = OpLogRecovery.run(files, afterTxid, replay);
      return new OpLog(options, files, lock, recovered);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Adds a record to the in-memory tail and returns its txid; it is durable only after {@link #sync} of that txid.
   * The array is copied. Callers: any thread, typically under the master's namespace lock.
   */
  public long append(byte[] record) throws JournalFailedException {
    Objects.requireNonNull(record, "record");
    if (record.length > options.maxRecordBytes()) {
      throw new IllegalArgumentException(
          "record of " + record.length + " bytes exceeds maxRecordBytes " + options.maxRecordBytes());
    }
    synchronized (appendLock) {
      if (closed) {
        throw new IllegalStateException("operation log is closed");
      }
      throwIfFailed();
      long txid = lastTxid + 1;
      int frame = RecordFrame.size(record.length);
      boolean tailHasRecords = tailBytes > SegmentHeader.SIZE;
      if (!tailOpen || (tailHasRecords && tailBytes + frame > options.segmentBytes())) {
        filling.startSegment(txid);
        tailOpen = true;
        tailBytes = SegmentHeader.SIZE;
      }
      filling.append(txid, record);
      tailBytes += frame;
      lastTxid = txid;
      return txid;
    }
  }

  /**
   * Returns once every record up to {@code txid} is written and fsynced. Callers: any thread, concurrently; waits
   * are not interruptible (the interrupt flag is kept) because the caller could not tell what became durable.
   *
   * @throws JournalFailedException if the log failed before those records became durable
   */
  public void sync(long txid) throws JournalFailedException {
    if (txid <= durableTxid) {
      return;
    }
    if (txid > lastTxid) {
      throw new IllegalArgumentException("txid " + txid + " was never appended (last is " + lastTxid + ")");
    }
    if (awaitSyncTurn(txid)) {
      flushAsSyncer();
    }
  }

  /** Waits until {@code txid} is durable (false) or this thread is the one to sync (true). */
  private boolean awaitSyncTurn(long txid) throws JournalFailedException {
    boolean interrupted = false;
    try {
      synchronized (syncLock) {
        while (true) {
          if (txid <= durableTxid) {
            return false;
          }
          throwIfFailed();
          if (!syncInProgress) {
            syncInProgress = true;
            return true;
          }
          try {
            syncLock.wait();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Writes and forces everything appended so far; called only by the thread holding the sync turn. */
  private void flushAsSyncer() throws JournalFailedException {
    AppendBuffer batch;
    long upTo;
    synchronized (appendLock) {
      batch = filling;
      filling = draining;
      draining = batch;
      upTo = lastTxid;
    }
    try {
      writer.write(batch);
      writer.force();
    } catch (IOException | RuntimeException | Error e) {
      fail(e);
      throw new JournalFailedException("operation log write failed; records after txid " + durableTxid
          + " may not be durable", e);
    } finally {
      batch.clear();
    }
    synchronized (syncLock) {
      durableTxid = upTo;
      syncInProgress = false;
      syncLock.notifyAll();
    }
  }

  private void fail(Throwable cause) {
    LOG.error("operation log in {} failed; refusing all further appends and syncs", files.dir(), cause);
    synchronized (syncLock) {
      if (failure == null) {
        failure = cause;
      }
      syncInProgress = false;
      syncLock.notifyAll();
    }
  }

  private void throwIfFailed() throws JournalFailedException {
    Throwable cause = failure;
    if (cause != null) {
      throw new JournalFailedException("operation log in " + files.dir() + " failed earlier", cause);
    }
  }

  /**
   * Deletes the segments whose records all have txid <= {@code txid}, after a checkpoint at {@code txid} is durable;
   * the newest segment is always kept. Returns how many segments were deleted. Callers: any thread.
   */
  public int purgeUpTo(long txid) throws IOException {
    synchronized (appendLock) {
      if (closed) {
        throw new IllegalStateException("operation log is closed");
      }
    }
    int deleted = files.purgeUpTo(txid);
    if (deleted > 0) {
      Fsync.directory(files.dir());
    }
    return deleted;
  }

  /** Txid of the newest appended record (durable or not); 0 for an empty log. */
  public long lastTxid() {
    return lastTxid;
  }

  /** Every record up to this txid is durable. */
  public long durableTxid() {
    return durableTxid;
  }

  /** fsync(2) calls made so far, of segment files and the directory; a metric and a test hook for group commit. */
  public long fsyncCount() {
    return writer.fsyncCount();
  }

  /** Makes everything appended durable (unless the log failed) and releases the files; later appends throw. */
  @Override
  public void close() throws IOException {
    long last;
    synchronized (appendLock) {
      if (closed) {
        return;
      }
      closed = true;
      last = lastTxid;
    }
    try {
      if (failure == null) {
        sync(last);
      }
    } finally {
      try {
        writer.close();
      } finally {
        dirLock.close();
      }
    }
  }
}
