package dev.grainfs.dist.bench;

import dev.grainfs.daemons.master.Master;
import dev.grainfs.daemons.master.MasterConfig;
import dev.grainfs.daemons.master.journal.OpLogOptions;
import dev.grainfs.daemons.master.op.AddChunkOp;
import dev.grainfs.daemons.master.op.CreateOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.MkdirOp;
import dev.grainfs.daemons.master.op.SetSizeOp;
import dev.grainfs.daemons.master.state.MasterState;
import dev.grainfs.daemons.master.storage.MasterStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The master with a million one-chunk files: heap bytes per file (after a full GC), and the time
 * a restart takes from a checkpoint and from the operation log alone. The namespace is built
 * through MasterState.apply and logged through MasterStorage, exactly as a running master does.
 */
final class MetaImageBench {
    private static final int FILES_PER_DIR = 1_000;

    private MetaImageBench() {
    }

    /** Builds the namespace and logs it in DIR/ckpt, measures heap, copies the log to DIR/log, checkpoints DIR/ckpt. */
    static void populate(Path dir, int files) throws Exception {
        Path logDir = dir.resolve("log");
        Path ckptDir = dir.resolve("ckpt");
        System.out.println("load average at start: " + MetaBench.loadAverage());
        long base = usedHeapAfterGc();
        MasterStorage.Recovered r = MasterStorage.recover(ckptDir, OpLogOptions.defaults());
        MasterState state = r.state();
        MasterStorage storage = r.storage();
        long t0 = System.nanoTime();
        long time = System.currentTimeMillis() * 1_000_000L;
        long inode = state.nextInodeId();
        long handle = 1;
        long txid = 0;
        long dirInode = 0;
        for (int f = 0; f < files; f++) {
            if (f % FILES_PER_DIR == 0) {
                dirInode = inode++;
                txid = log(state, storage, MasterOp.newBuilder().setTimeNs(time++).setMkdir(MkdirOp.newBuilder()
                        .setPath(String.format("/d%04d", f / FILES_PER_DIR)).setInode(dirInode).setMode(0755)));
            }
            long id = inode++;
            log(state, storage, MasterOp.newBuilder().setTimeNs(time++).setCreate(CreateOp.newBuilder()
                    .setPath(String.format("/d%04d/f%07d", f / FILES_PER_DIR, f)).setInode(id).setMode(0644)
                    .setReplication(3).setChunkSize(64L << 20)));
            log(state, storage, MasterOp.newBuilder().setTimeNs(time++).setAddChunk(AddChunkOp.newBuilder()
                    .setInode(id).setIndex(0).setHandle(handle++).setVersion(1)));
            txid = log(state, storage, MasterOp.newBuilder().setTimeNs(time++).setSetSize(SetSizeOp.newBuilder()
                    .setInode(id).setSize(10L << 20)));
            if (f % 1_000 == 999) {
                storage.sync(txid);
            }
        }
        storage.sync(storage.lastTxid());
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("applied and logged %d ops (%d files) in %.1f s: %.0f ops/s through apply + log%n",
                storage.lastTxid(), files, secs, storage.lastTxid() / secs);

        long used = usedHeapAfterGc() - base;
        System.out.printf("heap: %,d bytes for %,d files = %.0f bytes per file (durable state, after full GC)%n",
                used, files, (double) used / files);
        for (int servers : new int[] {20, 500}) {
            java.util.Random rnd = new java.util.Random(servers);
            state.chunks().forEach(c -> {
                c.clearReplicas();
                while (c.replicas().length < 3) {
                    c.addReplica(rnd.nextInt(servers));
                }
            });
            long withReplicas = usedHeapAfterGc() - base;
            System.out.printf("heap: %.0f bytes per file with 3 replica locations per chunk placed at random over %d"
                    + " servers (a live master)%n", (double) withReplicas / files, servers);
        }
        if (Boolean.getBoolean("metabench.histogram")) {
            System.out.println(histogram());
        }

        copyDir(ckptDir, logDir); // the log alone, for the replay measurement
        long tc = System.nanoTime();
        try (storage) {
            storage.checkpoint(() -> {
                try {
                    return MasterStorage.Snapshot.of(storage.lastTxid(), state);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        System.out.printf("checkpoint of %,d files written in %.1f s (%,d bytes)%n", files,
                (System.nanoTime() - tc) / 1e9, size(ckptDir, ".ckpt"));
        System.out.printf("log: %,d bytes; checkpoint dir: %,d bytes of log kept beside the checkpoint%n",
                size(logDir, ".wal"), size(ckptDir, ".wal"));
    }

    private static long log(MasterState state, MasterStorage storage, MasterOp.Builder b) throws Exception {
        MasterOp op = b.build();
        state.apply(op);
        return storage.append(op);
    }

    /** Recovers a meta dir as the master does at start (twice: a fresh JVM, then warm) and reports the time. */
    static void restart(Path meta) throws Exception {
        System.out.println("load average at start: " + MetaBench.loadAverage());
        for (String run : new String[] {"fresh JVM", "second run"}) {
            long t0 = System.nanoTime();
            try (Master m = Master.open(MasterConfig.defaults(meta).withPort(0))) {
                System.out.printf("%s: Master.open of %s took %,d ms%n", run, meta, (System.nanoTime() - t0) / 1_000_000);
            }
            usedHeapAfterGc();
        }
        MasterStorage.Recovered r = MasterStorage.recover(meta, OpLogOptions.defaults());
        try (MasterStorage s = r.storage()) {
            System.out.printf("third run, split: %,d ms = checkpoint load %,d ms + %,d log records replayed in %,d ms;"
                            + " %,d inodes, %,d chunks%n", r.millis(), r.checkpointMillis(), r.replayed(),
                    r.millis() - r.checkpointMillis(), r.state().tree().inodeCount(), r.state().chunks().size());
        }
    }

    /** The top of the live heap by class (jcmd GC.class_histogram), to see where the bytes go. */
    private static String histogram() throws Exception {
        Object r = ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return String.join("\n", String.valueOf(r).lines().limit(16).toList());
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().endsWith(".lock")) {
                    Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static long size(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
