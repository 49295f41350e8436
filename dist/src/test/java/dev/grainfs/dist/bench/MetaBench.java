package dev.grainfs.dist.bench;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.id.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Metadata operations per second against a running master over the real protocol, from many
 * client threads at once, in the spirit of HDFS's NNThroughputBenchmark. Not a test: run it with
 * bench/meta-bench.sh (docs/benchmarks.md, "Metadata").
 *
 * <pre>
 *   MetaBench ops --master HOST:PORT [--ops 100000] [--threads 32] [--clients 8]
 *   MetaBench populate DIR [--files 1000000]     heap bytes per file; writes DIR/log and DIR/ckpt
 *   MetaBench restart META_DIR                   times Master.open: checkpoint load and log replay
 *   MetaBench direct DIR [--ops 100000] [--threads 32]   the master's services called in-process (as
 *                                                HDFS's NNThroughputBenchmark calls the NameNode)
 * </pre>
 *
 * Phases of "ops", each timed from the moment every thread starts until the last one ends:
 * mkdir (one directory per 100 files), create (empty files), stat, list (100-entry directories),
 * rename (same directory), delete. Each thread works in its own directory.
 */
public final class MetaBench {
    private static final int FILES_PER_DIR = 100;
    private static long masterPid;

    private MetaBench() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        switch (a.command) {
            case "ops" -> ops(a);
            case "populate" -> MetaImageBench.populate(Path.of(a.positional), a.intOpt("--files", 1_000_000));
            case "restart" -> MetaImageBench.restart(Path.of(a.positional));
            case "direct" -> direct(a);
            default -> throw new IllegalArgumentException("usage: MetaBench ops|populate|restart ...");
        }
    }

    static void ops(Args a) throws Exception {
        HostPort master = HostPort.parse(a.opt("--master", "127.0.0.1:9500"));
        masterPid = Long.parseLong(a.opt("--master-pid", "0"));
        int threads = a.intOpt("--threads", 32);
        int clients = Math.min(threads, a.intOpt("--clients", 8));
        int perThread = Math.max(FILES_PER_DIR, a.intOpt("--ops", 100_000) / threads / FILES_PER_DIR * FILES_PER_DIR);
        int dirs = perThread / FILES_PER_DIR;
        List<GrainClient> conns = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            conns.add(GrainClient.connect(ClientConfig.of(master).withRetryMs(60_000)));
        }
        String base = "/metabench-" + System.currentTimeMillis();
        conns.get(0).mkdir(base, 0755);
        for (int t = 0; t < threads; t++) {
            conns.get(0).mkdir(base + "/t" + t, 0755);
        }
        System.out.printf("metadata ops against %s: %d threads over %d connections, %d files (%d per thread)%n",
                master, threads, clients, perThread * threads, perThread);
        System.out.println("load average at start: " + loadAverage());
        // a short warm-up of every code path, so the JIT has compiled them before timing starts
        phase("warm-up", threads, conns, 100, (c, t, i) -> {
            String d = base + "/t" + t + "/warm" + i;
            c.mkdir(d, 0755);
            c.create(d + "/f", CreateOptions.defaults()).close();
            c.stat(d + "/f");
            c.list(d);
            c.rename(d + "/f", d + "/g");
            c.delete(d + "/g", false);
            c.delete(d, false);
        }, false);
        List<String> only = List.of(a.opt("--phases", "mkdir,create,stat,list,rename,delete").split(","));
        List<String[]> rows = new ArrayList<>();
        rows.add(phase("mkdir", threads, conns, dirs, (c, t, i) -> c.mkdir(dir(base, t, i * FILES_PER_DIR), 0755), true));
        rows.add(phase("create", threads, conns, perThread,
                (c, t, i) -> c.create(dir(base, t, i) + "/f" + i, CreateOptions.defaults().exclusive(true)).close(), true));
        if (only.contains("stat")) {
            rows.add(phase("stat", threads, conns, perThread, (c, t, i) -> c.stat(dir(base, t, i) + "/f" + i), true));
        }
        if (only.contains("list")) {
            rows.add(phase("list (100 entries)", threads, conns, perThread / 10,
                    (c, t, i) -> c.list(dir(base, t, (i % dirs) * FILES_PER_DIR)), true));
        }
        if (only.contains("rename")) {
            rows.add(phase("rename", threads, conns, perThread,
                    (c, t, i) -> c.rename(dir(base, t, i) + "/f" + i, dir(base, t, i) + "/g" + i), true));
        }
        if (only.contains("delete")) {
            rows.add(phase("delete", threads, conns, perThread,
                    (c, t, i) -> c.delete(dir(base, t, i) + "/" + (only.contains("rename") ? "g" : "f") + i, false), true));
        }
        System.out.println("load average at end: " + loadAverage());
        System.out.printf("%n| operation | ops | seconds | ops/s | master CPU us/op | client CPU us/op |%n"
                + "|---|---:|---:|---:|---:|---:|%n");
        for (String[] r : rows) {
            System.out.printf("| %s | %s | %s | %s | %s | %s |%n", (Object[]) r);
        }
        conns.get(0).delete(base, true);
        conns.forEach(GrainClient::close);
    }

    static void direct(Args a) throws Exception {
        int threads = a.intOpt("--threads", 32);
        int ops = a.intOpt("--ops", 100_000);
        System.out.println("load average at start: " + loadAverage());
        System.out.println("warm-up:");
        dev.grainfs.daemons.master.MasterDirectBench.run(Path.of(a.positional, "warm"), threads, ops / 5);
        System.out.println("measured:");
        List<String[]> rows = dev.grainfs.daemons.master.MasterDirectBench.run(Path.of(a.positional, "run"), threads, ops);
        System.out.println("load average at end: " + loadAverage());
        System.out.printf("%n| operation (in-process) | ops | seconds | ops/s |%n|---|---:|---:|---:|%n");
        for (String[] r : rows) {
            System.out.printf("| %s | %s | %s | %s |%n", (Object[]) r);
        }
    }

    private static String dir(String base, int thread, int file) {
        return base + "/t" + thread + "/d" + (file / FILES_PER_DIR);
    }

    /** One op of a phase: client, thread number, op number within the thread. */
    interface Op {
        void run(GrainClient c, int thread, int i) throws GrainException;
    }

    private static String[] phase(String name, int threads, List<GrainClient> conns, int perThread, Op op,
                                  boolean report) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int tn = t;
            GrainClient c = conns.get(t % conns.size());
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        op.run(c, tn, i);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-" + t);
            ts.add(th);
            th.start();
        }
        long cpu0 = clientCpuNs();
        long mcpu0 = masterCpuNs();
        long msys0 = masterUserSysNs()[1];
        long t0 = System.nanoTime(); // before the barrier: the threads may all finish before this thread wakes
        start.await();
        for (Thread th : ts) {
            th.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double clientUs = (clientCpuNs() - cpu0) / 1e3 / ((long) threads * perThread);
        double masterUs = (masterCpuNs() - mcpu0) / 1e3 / ((long) threads * perThread);
        double masterSysUs = (masterUserSysNs()[1] - msys0) / 1e3 / ((long) threads * perThread);
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed", failure.get());
        }
        long ops = (long) threads * perThread;
        if (report) {
            System.out.printf("%-20s %9d ops %7.2f s %10.0f ops/s   CPU per op: master %5.1f us (%4.1f in the kernel),"
                    + " client %5.1f us%n", name, ops, secs, ops / secs, masterUs, masterSysUs, clientUs);
        }
        return new String[] {name, String.valueOf(ops), String.format("%.2f", secs), String.format("%,.0f", ops / secs),
            masterPid == 0 ? "-" : String.format("%.0f", masterUs), String.format("%.0f", clientUs)};
    }

    private static long clientCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The master process's user + system CPU time from /proc (0 when its pid is not known). */
    private static long masterCpuNs() {
        long[] us = masterUserSysNs();
        return us[0] + us[1];
    }

    private static long[] masterUserSysNs() {
        if (masterPid == 0) {
            return new long[2];
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + masterPid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) * 10_000_000L, Long.parseLong(f[12]) * 10_000_000L}; // 10 ms ticks
        } catch (Exception e) {
            return new long[2];
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim() + " (" + Runtime.getRuntime().availableProcessors()
                    + " cores)";
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** A tiny argument parser: a command, one optional positional, --name value options. */
    static final class Args {
        final String command;
        final String positional;
        private final java.util.Map<String, String> opts = new java.util.HashMap<>();

        Args(String[] args) {
            command = args.length > 0 ? args[0] : "";
            String pos = null;
            for (int i = 1; i < args.length; i++) {
                if (args[i].startsWith("--") && i + 1 < args.length) {
                    opts.put(args[i], args[++i]);
                } else {
                    pos = args[i];
                }
            }
            positional = pos;
        }

        String opt(String name, String def) {
            return opts.getOrDefault(name, def);
        }

        int intOpt(String name, int def) {
            return Integer.parseInt(opt(name, String.valueOf(def)));
        }
    }
}
