package dev.grainfs.daemons.master;

import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.CreateRequest;
import dev.grainfs.core.wire.proto.DeleteRequest;
import dev.grainfs.core.wire.proto.MkdirRequest;
import dev.grainfs.core.wire.proto.RenameRequest;
import dev.grainfs.daemons.master.journal.OpLogOptions;
import dev.grainfs.daemons.master.storage.MasterStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The master's own capacity, as HDFS's NNThroughputBenchmark measures the NameNode: threads call
 * the namespace service directly (no network, no protobuf framing), and every mutation is logged
 * and waits for its group-commit fsync. Not a test; MetaBench "direct" runs it.
 */
public final class MasterDirectBench {
    private static final int FILES_PER_DIR = 100;

    /** One op of a phase: thread number, op number within the thread. */
    private interface Op {
        MasterCore.Durable run(int thread, int i) throws Exception;
    }

    private MasterDirectBench() {
    }

    /** Runs mkdir, create, stat, rename, delete with {@code threads} threads, {@code ops} ops each phase. */
    public static List<String[]> run(Path metaDir, int threads, int ops) throws Exception {
        MasterStorage.Recovered r = MasterStorage.recover(metaDir, OpLogOptions.defaults());
        MasterConfig config = MasterConfig.defaults(metaDir);
        MasterCore core = new MasterCore(config, HealingConfig.defaults(), r.state(), r.storage(), new MasterMetrics());
        NamespaceService ns = new NamespaceService(core);
        Permissions root = new Permissions(Caller.newBuilder().setUid(0).setGid(0).build());
        int perThread = Math.max(FILES_PER_DIR, ops / threads / FILES_PER_DIR * FILES_PER_DIR);
        List<String[]> rows = new ArrayList<>();
        try (Committer committer = new Committer(r.storage()); MasterStorage storage = r.storage()) {
            for (int t = 0; t < threads; t++) {
                ns.mkdir(root, MkdirRequest.newBuilder().setPath("/t" + t).setParents(true).build());
            }
            rows.add(phase("mkdir", committer, threads, perThread / FILES_PER_DIR, (t, i) ->
                    ns.mkdir(root, MkdirRequest.newBuilder().setPath(dir(t, i * FILES_PER_DIR)).build())));
            rows.add(phase("create", committer, threads, perThread, (t, i) ->
                    ns.create(root, CreateRequest.newBuilder().setPath(dir(t, i) + "/f" + i).setExclusive(true).build())));
            rows.add(phase("stat", committer, threads, perThread, (t, i) ->
                    MasterCore.Durable.now(ns.stat(root, dir(t, i) + "/f" + i, false))));
            rows.add(phase("rename", committer, threads, perThread, (t, i) ->
                    ns.rename(root, RenameRequest.newBuilder().setSrc(dir(t, i) + "/f" + i).setDst(dir(t, i) + "/g" + i)
                            .build())));
            rows.add(phase("delete", committer, threads, perThread, (t, i) ->
                    ns.delete(root, DeleteRequest.newBuilder().setPath(dir(t, i) + "/g" + i).build())));
        }
        return rows;
    }

    private static String dir(int thread, int file) {
        return "/t" + thread + "/d" + (file / FILES_PER_DIR);
    }

    private static String[] phase(String name, Committer committer, int threads, int perThread, Op op)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tn = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        MasterCore.Durable d = op.run(tn, i);
                        if (d.txid() >= 0) {
                            CompletableFuture<Void> done = new CompletableFuture<>();
                            committer.whenDurable(d.txid(), f -> done.complete(null));
                            done.join();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts.add(th);
            th.start();
        }
        long t0 = System.nanoTime(); // before the barrier: the threads may all finish before this thread wakes
        start.await();
        for (Thread th : ts) {
            th.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed", failure.get());
        }
        long ops = (long) threads * perThread;
        System.out.printf("%-8s %9d ops %7.2f s %10.0f ops/s (in-process, logged and fsynced)%n", name, ops, secs,
                ops / secs);
        return new String[] {name, String.valueOf(ops), String.format("%.2f", secs), String.format("%,.0f", ops / secs)};
    }
}
