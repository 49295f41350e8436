package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.DirEntry;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.core.id.HostPort;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master process SIGKILLed at random moments while clients create, mkdir, rename, delete and
 * append, then restarted on the same port and meta dir: after each restart every acknowledged
 * operation is there, nothing never asked for appears, and every file reads back.
 *
 * <pre>
 *   cycle: clients run ── random 0.8-3 s ──> kill -9 master ──> restart ──> pause clients (their
 *          in-flight ops finish: clients retry through the restart and safe mode) ──> check ──> resume
 * </pre>
 */
class MasterKillProcessTest {
    private static final int CLIENTS = 4;
    private static final int KILLS = 12;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void acknowledgedOperationsSurviveSigkillOfTheMaster() throws Exception {
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        List<GrainfsProcess> chunkservers = new ArrayList<>();
        GrainfsProcess master = startMaster("0");
        String port = master.address().substring(master.address().lastIndexOf(':') + 1);
        List<ClientWorker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                chunkservers.add(GrainfsProcess.daemon(dir.resolve("cs" + i + ".log"), "chunkserver", "--master",
                        master.address(), "--data-dir", dir.resolve("cs" + i).toString(), "--port", "0",
                        "--heartbeat", "1"));
            }
            HostPort address = HostPort.parse(master.address());
            try (GrainClient checker = GrainClient.connect(ClientConfig.of(address).withRetryMs(90_000))) {
                waitForServers(checker, 3);
                ClientWorker.Gate gate = new ClientWorker.Gate();
                for (int i = 0; i < CLIENTS; i++) {
                    GrainClient c = GrainClient.connect(ClientConfig.of(address).withRetryMs(90_000)
                            .withCallTimeoutMs(20_000));
                    c.mkdir("/w" + i, 0755);
                    workers.add(new ClientWorker(c, new AckModel("/w" + i), gate, rnd.nextLong()));
                }
                workers.forEach(Thread::start);
                for (int kill = 1; kill <= KILLS; kill++) {
                    Thread.sleep(800 + rnd.nextInt(2_200));
                    master.kill9();
                    Thread.sleep(rnd.nextInt(400));
                    master = startMaster(port);
                    gate.pause(workers);
                    check(checker, workers, "after kill " + kill);
                    gate.resume();
                }
                gate.pause(workers);
                assertEquals(0, master.terminate(), "master exit code on SIGTERM");
                master = startMaster(port);
                check(checker, workers, "after a clean restart");
                gate.stop(workers);
            }
            long acked = workers.stream().mapToLong(w -> w.acked).sum();
            long failed = workers.stream().mapToLong(w -> w.failed).sum();
            System.out.printf("MasterKillProcessTest: %d kills, %d ops acknowledged, %d failed (outcome unknown)%n",
                    KILLS, acked, failed);
            assertTrue(acked >= 200, "only " + acked + " ops were acknowledged");
            for (ClientWorker w : workers) {
                assertTrue(w.error == null, "client thread died: " + w.error);
            }
        } finally {
            for (ClientWorker w : workers) {
                w.interrupt();
                w.client.close();
            }
            master.close();
            for (GrainfsProcess p : chunkservers) {
                p.close();
            }
        }
    }

    private GrainfsProcess startMaster(String port) throws Exception {
        return GrainfsProcess.daemon(dir.resolve("master-" + System.nanoTime() + ".log"), "master", "--meta-dir",
                dir.resolve("meta").toString(), "--port", port, "--chunk-size", "1m", "--heartbeat", "1",
                "--checkpoint-records", "300", "--safemode-min-servers", "3", "--safemode-extension", "500ms",
                // the model expects a delete to remove the file, not to move it to /.trash
                "--trash-retention", "0");
    }

    private static void waitForServers(GrainClient c, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (c.statfs().liveServers() < n) {
            assertTrue(System.currentTimeMillis() < deadline, "chunkservers did not register");
            Thread.sleep(100);
        }
    }

    /** Lists the whole tree, reads every file and compares with each client's model. */
    private static void check(GrainClient c, List<ClientWorker> workers, String when) throws Exception {
        try (MetadataAdmin admin = MetadataAdmin.connect(c.config())) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (admin.safeModeGet().on()) {
                assertTrue(System.currentTimeMillis() < deadline, "the master stays in safe mode");
                Thread.sleep(100);
            }
        }
        TreeSet<String> top = new TreeSet<>();
        for (DirEntry e : c.list("/")) {
            top.add("/" + e.name());
        }
        List<String> problems = new ArrayList<>();
        TreeSet<String> expectedTop = new TreeSet<>();
        workers.forEach(w -> expectedTop.add(w.model.root));
        if (!top.equals(expectedTop)) {
            problems.add("/ holds " + top + ", expected " + expectedTop);
        }
        int files = 0;
        for (ClientWorker w : workers) {
            Map<String, AckModel.Seen> seen = new TreeMap<>();
            walk(c, w.model.root, seen);
            files += seen.size();
            problems.addAll(w.model.check(seen));
        }
        System.out.printf("check %s: %d paths, %d problems%n", when, files, problems.size());
        assertTrue(problems.isEmpty(), when + ":\n  " + String.join("\n  ", problems));
    }

    static void walk(GrainClient c, String dir, Map<String, AckModel.Seen> seen) throws Exception {
        for (DirEntry e : c.list(dir)) {
            String p = dir + "/" + e.name();
            if (e.stat().isDir()) {
                seen.put(p, new AckModel.Seen(true, null));
                walk(c, p, seen);
            } else {
                try {
                    seen.put(p, new AckModel.Seen(false, read(c, p)));
                } catch (GrainException x) {
                    throw new AssertionError(p + " (" + e.stat() + ") does not read back: " + x.getMessage()
                            + "; chunks " + c.locations(p), x);
                }
            }
        }
    }

    static byte[] read(GrainClient c, String path) throws GrainException {
        try (GrainFile f = c.open(path, false)) {
            byte[] out = new byte[(int) f.size()];
            ByteBuffer b = ByteBuffer.wrap(out);
            while (b.hasRemaining() && f.read(b.position(), b) >= 0) {
                // read() advances b
            }
            return out;
        }
    }

    /** One client thread: random namespace ops and appends, recorded in its model. */
    static final class ClientWorker extends Thread {
        final GrainClient client;
        final AckModel model;
        private final Gate gate;
        private final Random rnd;
        long acked;
        long failed;
        volatile Throwable error;

        ClientWorker(GrainClient client, AckModel model, Gate gate, long seed) {
            super("client" + model.root.replace('/', '-'));
            this.client = client;
            this.model = model;
            this.gate = gate;
            this.rnd = new Random(seed);
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (gate.await()) {
                    if (step()) {
                        acked++;
                    } else {
                        failed++;
                    }
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (Throwable t) {
                error = t;
            }
        }

        /** One op; true when acknowledged. */
        private boolean step() {
            int pick = rnd.nextInt(100);
            List<String> files = model.paths(AckModel.Kind.FILE);
            if (model.sure.size() > 30 || (pick < 10 && !model.sure.isEmpty())) {
                return delete();
            } else if (pick < 25) {
                return mkdir(model.freshPath(rnd, "d"));
            } else if (pick < 50) {
                return create(model.freshPath(rnd, rnd.nextInt(4) == 0 ? "r" : "f"));
            } else if (pick < 70 && !files.isEmpty()) {
                return append(files.get(rnd.nextInt(files.size())));
            } else if (pick < 80) {
                List<String> recs = model.paths(AckModel.Kind.RECORDS);
                return recs.isEmpty() ? create(model.freshPath(rnd, "r")) : recordAppend(recs.get(rnd.nextInt(recs.size())));
            } else {
                List<String> all = new ArrayList<>(model.sure.keySet());
                String src = all.isEmpty() ? null : all.get(rnd.nextInt(all.size()));
                if (src == null) {
                    return mkdir(model.freshPath(rnd, "d"));
                }
                String dst = model.sure.get(src).kind == AckModel.Kind.DIR
                        ? model.freshTopPath("m") : model.freshPath(rnd, "m");
                return rename(src, dst);
            }
        }

        private boolean mkdir(String p) {
            try {
                client.mkdir(p, 0755);
                model.sure.put(p, new AckModel.Node(AckModel.Kind.DIR));
                return true;
            } catch (GrainException e) {
                model.unsure(p, new AckModel.Node(AckModel.Kind.DIR));
                return false;
            }
        }

        private boolean create(String p) {
            boolean records = p.substring(p.lastIndexOf('/') + 1).startsWith("r");
            AckModel.Node n = new AckModel.Node(records ? AckModel.Kind.RECORDS : AckModel.Kind.FILE);
            GrainFile f;
            try {
                f = client.create(p, CreateOptions.defaults().exclusive(true));
            } catch (GrainException e) {
                n.frozen = true;
                model.unsure(p, n);
                return false;
            }
            model.sure.put(p, n);
            if (records) {
                return close(f, n);
            }
            byte[] data = bytes(1 + rnd.nextInt(3_000));
            try (f) {
                f.write(0, ByteBuffer.wrap(data));
            } catch (GrainException e) {
                n.frozen = true;
                return false;
            }
            n.content.writeBytes(data);
            return true;
        }

        private static boolean close(GrainFile f, AckModel.Node n) {
            try {
                f.close();
                return true;
            } catch (GrainException e) {
                n.frozen = true;
                return false;
            }
        }

        private boolean append(String p) {
            AckModel.Node n = model.sure.get(p);
            if (n.frozen) {
                return rename(p, model.freshPath(rnd, "m"));
            }
            byte[] data = bytes(1 + rnd.nextInt(5_000));
            try (GrainFile f = client.open(p, true)) {
                f.append(ByteBuffer.wrap(data));
            } catch (GrainException e) {
                n.frozen = true;
                return false;
            }
            n.content.writeBytes(data);
            return true;
        }

        private boolean recordAppend(String p) {
            String record = String.format("<%s#%08d>", model.root, rnd.nextInt(100_000_000));
            try {
                client.recordAppend(p, ByteBuffer.wrap(record.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (GrainException e) {
                return false;
            }
            model.sure.get(p).records.add(record);
            return true;
        }

        private boolean rename(String src, String dst) {
            try {
                client.rename(src, dst);
                model.renamed(src, dst);
                return true;
            } catch (GrainException e) {
                model.renameUnsure(src, dst);
                return false;
            }
        }

        private boolean delete() {
            List<String> victims = new ArrayList<>();
            model.sure.forEach((p, n) -> {
                if (n.kind != AckModel.Kind.DIR || model.isEmptyDir(p)) {
                    victims.add(p);
                }
            });
            if (victims.isEmpty()) {
                return mkdir(model.freshPath(rnd, "d"));
            }
            String p = victims.get(rnd.nextInt(victims.size()));
            AckModel.Node n = model.sure.get(p);
            try {
                client.delete(p, false);
                model.sure.remove(p);
                return true;
            } catch (GrainException e) {
                model.unsure(p, n);
                return false;
            }
        }

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            rnd.nextBytes(b);
            return b;
        }

        /** Lets the test pause every client between two ops, check, and resume them. */
        static final class Gate {
            private boolean paused;
            private boolean stopped;
            private int waiting;

            /** Called by a client before each op: blocks while paused; false once stopped. */
            synchronized boolean await() throws InterruptedException {
                if (paused && !stopped) {
                    waiting++;
                    notifyAll();
                    while (paused && !stopped) {
                        wait();
                    }
                    waiting--;
                }
                return !stopped;
            }

            /** Returns once every live client has finished its op in flight and is waiting. */
            synchronized void pause(List<ClientWorker> workers) throws InterruptedException {
                paused = true;
                long deadline = System.currentTimeMillis() + 150_000;
                while (waiting < workers.stream().filter(Thread::isAlive).count()) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new AssertionError("clients did not pause: an op hangs");
                    }
                    wait(100);
                }
            }

            synchronized void resume() {
                paused = false;
                notifyAll();
            }

            synchronized void stop(List<ClientWorker> workers) throws InterruptedException {
                stopped = true;
                notifyAll();
                for (ClientWorker w : workers) {
                    w.join(10_000);
                }
            }
        }
    }
}
