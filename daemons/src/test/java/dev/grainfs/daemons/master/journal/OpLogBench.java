package dev.grainfs.daemons.master.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway measurement, not a test: N threads each append + sync 100-byte records into a log in a temp directory.
 * Run with {@code java -cp <test classpath> dev.grainfs.daemons.master.journal.OpLogBench [threads] [seconds] [dir]}.
 */
public final class OpLogBench {
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory(args.length > 2 ? Path.of(args[2]) : Path.of("/tmp"), "oplog-bench");
    try (OpLog log = OpLog.open(dir, OpLogOptions.defaults(), 0, (t, r) -> {})) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<Long>> counts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        counts.add(pool.submit(() -> {
          byte[] record = new byte[100];
          long n = 0;
          while (System.nanoTime() < deadline) {
            log.sync(log.append(record));
            n++;
          }
          return n;
        }));
      }
      long total = 0;
      for (Future<Long> f : counts) {
        total += f.get();
      }
      pool.shutdown();
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("threads=%d records=%d seconds=%.2f records/s=%.0f fsyncs=%d records/fsync=%.1f%n",
          threads, total, secs, total / secs, log.fsyncCount(), (double) total / log.fsyncCount());
    } finally {
      try (var s = Files.list(dir)) {
        for (Path p : s.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }
}
