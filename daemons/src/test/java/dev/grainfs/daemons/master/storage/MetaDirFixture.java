package dev.grainfs.daemons.master.storage;

import dev.grainfs.daemons.master.journal.OpLogOptions;
import dev.grainfs.daemons.master.op.AddChunkOp;
import dev.grainfs.daemons.master.op.CreateOp;
import dev.grainfs.daemons.master.op.DeleteOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.MkdirOp;
import dev.grainfs.daemons.master.op.RenameOp;
import dev.grainfs.daemons.master.op.SetChunkVersionOp;
import dev.grainfs.daemons.master.op.SetSizeOp;
import dev.grainfs.daemons.master.state.MasterState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A master meta dir written through the real path (MasterState.apply + MasterStorage), with ops
 * that look like a working master's, and helpers to copy, compare and damage it.
 */
final class MetaDirFixture implements AutoCloseable {
    final Path dir;
    final MasterState state;
    final MasterStorage storage;
    private long nextInode;
    private long nextHandle;
    private long clock = 1_700_000_000_000_000_000L;

    MetaDirFixture(Path dir, OpLogOptions options) throws IOException {
        this.dir = dir;
        MasterStorage.Recovered r = MasterStorage.recover(dir, options);
        this.state = r.state();
        this.storage = r.storage();
        this.nextInode = state.nextInodeId();
        this.nextHandle = state.nextChunkHandle();
    }

    /** Applies and logs one op, durable on return; returns its txid. */
    long apply(MasterOp.Builder op) throws Exception {
        MasterOp o = op.setTimeNs(clock += 1_000).build();
        state.apply(o);
        long txid = storage.append(o);
        storage.sync(txid);
        return txid;
    }

    long mkdir(String path) throws Exception {
        apply(MasterOp.newBuilder().setMkdir(MkdirOp.newBuilder().setPath(path).setInode(nextInode).setMode(0755)));
        return nextInode++;
    }

    /** A file of {@code chunks} chunks of 1 MiB, the last one half full. */
    long file(String path, int chunks) throws Exception {
        long inode = nextInode++;
        apply(MasterOp.newBuilder().setCreate(CreateOp.newBuilder().setPath(path).setInode(inode).setMode(0644)
                .setReplication(3).setChunkSize(1 << 20)));
        for (int i = 0; i < chunks; i++) {
            long h = nextHandle++;
            apply(MasterOp.newBuilder().setAddChunk(AddChunkOp.newBuilder().setInode(inode).setIndex(i).setHandle(h)
                    .setVersion(1)));
            apply(MasterOp.newBuilder().setSetChunkVersion(SetChunkVersionOp.newBuilder().setHandle(h).setVersion(2)));
            apply(MasterOp.newBuilder().setSetSize(SetSizeOp.newBuilder().setInode(inode)
                    .setSize((long) i * (1 << 20) + (1 << 19))));
        }
        return inode;
    }

    long rename(String src, String dst) throws Exception {
        return apply(MasterOp.newBuilder().setRename(RenameOp.newBuilder().setSrc(src).setDst(dst)));
    }

    long delete(String path) throws Exception {
        return apply(MasterOp.newBuilder().setDelete(DeleteOp.newBuilder().setPath(path)));
    }

    /** A varied history of {@code rounds} rounds under /r<round>. */
    void history(int from, int rounds) throws Exception {
        for (int r = from; r < from + rounds; r++) {
            mkdir("/r" + r);
            file("/r" + r + "/a", 2);
            file("/r" + r + "/b", 1);
            rename("/r" + r + "/a", "/r" + r + "/c");
            delete("/r" + r + "/b");
        }
    }

    long checkpoint() throws IOException {
        return storage.checkpoint(() -> {
            try {
                return MasterStorage.Snapshot.of(storage.lastTxid(), state);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The serialized state: equal images mean equal namespaces, chunk maps and id counters. */
    static byte[] image(MasterState s) throws IOException {
        MasterStorage.Snapshot snap = MasterStorage.Snapshot.of(0, s);
        return Arrays.copyOf(snap.bytes(), snap.length());
    }

    byte[] image() throws IOException {
        return image(state);
    }

    @Override
    public void close() throws IOException {
        storage.close();
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
        }
    }

    static List<Path> checkpoints(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".ckpt")).sorted().toList();
        }
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).position(0);
            ch.write(b, offset);
        }
    }
}
