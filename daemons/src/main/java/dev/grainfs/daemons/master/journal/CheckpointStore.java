package dev.grainfs.daemons.master.journal;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes checkpoint files atomically, keeps the newest few, and finds the newest one for recovery.
 *
 * <p>Files are {@code ckpt-<txid, 20 digits>.ckpt} (format in {@link CheckpointFormat}); a write goes to
 * {@code ckpt-<txid>.tmp}, is fsynced, renamed into place and the directory fsynced, so a crash leaves either the
 * whole checkpoint or none. Files with other names are ignored, which is how an operator sets a bad one aside.
 *
 * <p>Threading: {@link #write} calls are serialised; {@link #latestValid} may run at any time.
 */
public final class CheckpointStore {
  public static final int DEFAULT_KEEP = 2;

  /** Writes the master's state; called once per checkpoint on the thread that called {@link #write}. */
  @FunctionalInterface
  public interface Writer {
    /** Writes the body. Closing {@code out} is allowed and only flushes it; throwing aborts the checkpoint. */
    void writeTo(OutputStream out) throws IOException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final Pattern NAME = Pattern.compile("ckpt-(\\d{20})\\.ckpt");
  private static final int BUFFER = 1 << 20;

  private final Path dir;
  private final int keep;

  private CheckpointStore(Path dir, int keep) {
    this.dir = dir;
    this.keep = keep;
  }

  /** Opens the store in {@code dir} (created if missing), deleting what interrupted writes left behind. */
  public static CheckpointStore open(Path dir, int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    Files.createDirectories(dir);
    try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, "ckpt-*.tmp")) {
      for (Path tmp : tmps) {
        LOG.info("deleting unfinished checkpoint {}", tmp);
        Files.delete(tmp);
      }
    }
    return new CheckpointStore(dir, keep);
  }

  public static CheckpointStore open(Path dir) throws IOException {
    return open(dir, DEFAULT_KEEP);
  }

  /**
   * Writes the checkpoint for {@code txid} through {@code writer} and makes it durable, then deletes all but the
   * newest {@code keep} checkpoints. On any failure nothing named {@code .ckpt} is created and the exception is
   * rethrown. A checkpoint for the same txid is replaced.
   */
  public synchronized Checkpoint write(long txid, Writer writer) throws IOException {
    Path tmp = dir.resolve(String.format("ckpt-%020d.tmp", txid));
    Path target = dir.resolve(name(txid));
    Checkpoint written;
    try (FileOutputStream file = new FileOutputStream(tmp.toFile())) {
      CheckedOutputStream out = new CheckedOutputStream(new BufferedOutputStream(file, BUFFER), new CRC32C());
      out.write(CheckpointFormat.header(txid));
      BodyOutputStream body = new BodyOutputStream(out);
      writer.writeTo(body);
      int crc = (int) out.getChecksum().getValue();
      out.write(CheckpointFormat.footer(body.count(), crc));
      out.flush();
      Fsync.file(file.getFD());
      written = new Checkpoint(target, txid, body.count(), crc);
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Fsync.directory(dir);
    deleteAllButNewest();
    return written;
  }

  /**
   * The newest checkpoint, verified end to end, or empty if there is none. A corrupt newest checkpoint is never
   * skipped in favour of an older one: that is the operator's decision.
   *
   * @throws JournalCorruptException naming the newest checkpoint file if it does not verify
   */
  public Optional<Checkpoint> latestValid() throws IOException {
    List<Long> txids = txids();
    if (txids.isEmpty()) {
      return Optional.empty();
    }
    long newest = txids.get(txids.size() - 1);
    return Optional.of(CheckpointFormat.verify(dir.resolve(name(newest)), newest));
  }

  /** Txids of the checkpoint files present, oldest first (not verified). */
  public List<Long> txids() throws IOException {
    List<Long> txids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "ckpt-*.ckpt")) {
      for (Path p : files) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
          txids.add(Long.parseLong(m.group(1)));
        }
      }
    }
    txids.sort(null);
    return txids;
  }

  private void deleteAllButNewest() throws IOException {
    List<Long> txids = txids();
    for (int i = 0; i < txids.size() - keep; i++) {
      Files.deleteIfExists(dir.resolve(name(txids.get(i))));
    }
    if (txids.size() > keep) {
      Fsync.directory(dir);
    }
  }

  private static String name(long txid) {
    return String.format("ckpt-%020d.ckpt", txid);
  }

  /** What the writer callback sees: counts body bytes, and closing it only flushes. */
  private static final class BodyOutputStream extends OutputStream {
    private final OutputStream out;
    private long count;

    BodyOutputStream(OutputStream out) {
      this.out = out;
    }

    long count() {
      return count;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
