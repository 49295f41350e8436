package dev.grainfs.daemons.master.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent append + sync callers share fsyncs, and a failed fsync or write stops the log for good. */
class OpLogGroupCommitTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = 2_000;

  @TempDir Path dir;

  @Test
  void concurrentCommitsShareFsyncsAndAllSurviveReopen() throws Exception {
    OpLogOptions options = OpLogOptions.defaults().withSegmentBytes(512 << 10); // a few rollovers under load
    long fsyncs;
    try (OpLog log = OpLog.open(dir, options, 0, (t, r) -> {})) {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < PER_THREAD; i++) {
            long txid = log.append(record(thread, i));
            log.sync(txid);
            assertTrue(log.durableTxid() >= txid);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      fsyncs = log.fsyncCount();
    }

    int records = THREADS * PER_THREAD;
    assertTrue(fsyncs * 3 < records, fsyncs + " fsyncs for " + records + " commits: group commit is not grouping");
    assertTrue(LogFixture.segments(dir).size() > 2, "expected rollovers");

    int[] nextSeq = new int[THREADS];
    List<LogFixture.Entry> replayed = LogFixture.replay(dir, options, 0);
    assertEquals(records, replayed.size());
    for (LogFixture.Entry e : replayed) {
      ByteBuffer b = ByteBuffer.wrap(e.payload());
      int thread = b.getInt();
      assertEquals(nextSeq[thread]++, b.getInt(), "each thread's records replay in its own order");
    }
  }

  @Test
  void failedWriteFailsEveryLaterAppendAndSync() throws IOException {
    OpLogOptions options = OpLogOptions.defaults().withSegmentBytes(1024);
    Path logDir = dir.resolve("log");
    OpLog log = OpLog.open(logDir, options, 0, (t, r) -> {});
    long durable = log.append(new byte[100]);
    log.sync(durable);

    deleteTree(logDir); // the next rollover cannot create its segment file
    long txid = 0;
    for (int i = 0; i < 20; i++) {
      txid = log.append(new byte[100]);
    }
    long lastAppended = txid;
    assertThrows(JournalFailedException.class, () -> log.sync(lastAppended));
    assertThrows(JournalFailedException.class, () -> log.append(new byte[1]));
    assertThrows(JournalFailedException.class, () -> log.sync(lastAppended));
    log.sync(durable); // what was durable before the failure stays acknowledged
    assertEquals(durable, log.durableTxid());
    log.close();
  }

  @Test
  void anInterruptedCallerNeitherBreaksTheLogNorLosesItsInterrupt() throws IOException {
    OpLogOptions options = OpLogOptions.defaults().withSegmentBytes(1024);
    try (OpLog log = OpLog.open(dir, options, 0, (t, r) -> {})) {
      for (int i = 0; i < 30; i++) { // 30 x 216 bytes: several rollovers, each with a directory fsync
        Thread.currentThread().interrupt();
        log.sync(log.append(new byte[200]));
        assertTrue(Thread.interrupted(), "interrupt flag kept");
      }
    }
    assertEquals(30, LogFixture.replay(dir, options, 0).size());
  }

  static byte[] record(int thread, int seq) {
    return ByteBuffer.allocate(100).putInt(thread).putInt(seq).array();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
