package dev.grainfs.daemons.master.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path dir;

  @Test
  void roundTrip() throws IOException {
    byte[] body = random(3 << 20);
    CheckpointStore store = CheckpointStore.open(dir);
    assertTrue(store.latestValid().isEmpty());

    store.write(42, out -> {
      out.write(body, 0, 1000);
      out.write(body[1000]);
      out.write(body, 1001, body.length - 1001);
      out.close(); // allowed: only flushes
    });

    Checkpoint c = CheckpointStore.open(dir).latestValid().orElseThrow();
    assertEquals(42, c.txid());
    assertEquals(body.length, c.bodyLength());
    assertEquals(dir.resolve("ckpt-00000000000000000042.ckpt"), c.file());
    try (InputStream in = c.openBody()) {
      assertArrayEquals(body, in.readAllBytes());
    }
  }

  @Test
  void emptyBodyRoundTrips() throws IOException {
    CheckpointStore store = CheckpointStore.open(dir);
    store.write(7, out -> {});
    try (InputStream in = store.latestValid().orElseThrow().openBody()) {
      assertEquals(0, in.readAllBytes().length);
    }
  }

  @Test
  void keepsOnlyTheNewestK() throws IOException {
    CheckpointStore store = CheckpointStore.open(dir, 2);
    for (long txid : new long[] {10, 20, 30, 40}) {
      store.write(txid, out -> out.write(new byte[] {(byte) txid}));
    }
    assertEquals(List.of(30L, 40L), store.txids());
    assertEquals(40, store.latestValid().orElseThrow().txid());
  }

  @Test
  void abortedWriteLeavesNoCheckpointBehind() throws IOException {
    CheckpointStore store = CheckpointStore.open(dir);
    store.write(10, out -> out.write(random(1000)));

    IOException boom = new IOException("state dump failed");
    IOException thrown = assertThrows(IOException.class, () -> store.write(20, out -> {
      out.write(random(100_000));
      throw boom;
    }));
    assertEquals(boom, thrown);
    assertEquals(List.of(10L), store.txids());
    assertEquals(List.of("ckpt-00000000000000000010.ckpt"), fileNames());
    assertEquals(10, store.latestValid().orElseThrow().txid());
  }

  @Test
  void openDeletesLeftoverTempFiles() throws IOException {
    Files.write(dir.resolve("ckpt-00000000000000000099.tmp"), random(50));
    CheckpointStore.open(dir);
    assertEquals(List.of(), fileNames());
  }

  @Test
  void flippedBodyByteIsReportedNotSkipped() throws IOException {
    CheckpointStore store = CheckpointStore.open(dir);
    store.write(10, out -> out.write(random(5000)));
    Checkpoint newest = store.write(20, out -> out.write(random(5000)));
    LogFixture.flipByte(newest.file(), CheckpointFormat.HEADER_SIZE + 2500);

    JournalCorruptException e = assertThrows(JournalCorruptException.class, store::latestValid);
    assertEquals(newest.file(), e.file());
    assertTrue(e.getMessage().contains("ckpt-00000000000000000020.ckpt"), e.getMessage());

    // the documented recovery: move the bad file aside, and the previous checkpoint is used
    Files.move(newest.file(), dir.resolve("ckpt-00000000000000000020.ckpt.corrupt"));
    assertEquals(10, store.latestValid().orElseThrow().txid());
  }

  @Test
  void damagedHeaderOrCutFileIsCorrupt() throws IOException {
    CheckpointStore store = CheckpointStore.open(dir);
    Path file = store.write(20, out -> out.write(random(5000))).file();
    LogFixture.flipByte(file, 1);
    assertEquals(0, assertThrows(JournalCorruptException.class, store::latestValid).offset());

    file = store.write(30, out -> out.write(random(5000))).file();
    LogFixture.truncate(file, Files.size(file) - 3);
    assertThrows(JournalCorruptException.class, store::latestValid);
  }

  @Test
  void bodyChangedAfterVerificationFailsAtTheEndOfTheStream() throws IOException {
    CheckpointStore store = CheckpointStore.open(dir);
    store.write(5, out -> out.write(random(200_000)));
    Checkpoint c = store.latestValid().orElseThrow();
    LogFixture.flipByte(c.file(), CheckpointFormat.HEADER_SIZE + 150_000);

    try (InputStream in = c.openBody()) {
      assertThrows(JournalCorruptException.class, in::readAllBytes);
    }
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
