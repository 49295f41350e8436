package dev.grainfs.fuse;

import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.http.HttpStatusServer;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.vfs.Vfs;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GrainFS cluster mounted as a local directory: the entry point the CLI uses.
 *
 * <pre>
 *   FuseMount m = FuseMount.mount(client, Path.of("/mnt/grain"), MountOptions.parse("allow_other"));
 *   m.awaitUnmount();   // returns after fusermount -u, close(), or SIGTERM (the shutdown hook closes)
 * </pre>
 *
 * With {@link MountOptions#metrics} set, the mount's Prometheus metrics are served on /metrics there.
 *
 * Lifecycle: mount returns once the kernel finished the FUSE handshake; libfuse's loop runs on its
 * own thread until the mount goes away. close unmounts (lazily, so a busy mount point detaches at
 * once), waits for the loop, then flushes and closes files a process still held open.
 * Thread-safe; close is idempotent and also runs from a JVM shutdown hook.
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FuseMount.class);
    private static final long MOUNT_TIMEOUT_MS = 20_000;
    private static final long UNMOUNT_TIMEOUT_MS = 15_000;

    private final Path mountpoint;
    private final Vfs vfs;
    private final CompletableFuture<Void> loopDone;
    private final Thread shutdownHook;
    private HttpStatusServer http;
    private HostPort metricsAddress;
    private volatile boolean closed;

    private FuseMount(Path mountpoint, Vfs vfs, CompletableFuture<Void> loopDone) {
        this.mountpoint = mountpoint;
        this.vfs = vfs;
        this.loopDone = loopDone;
        this.shutdownHook = new Thread(this::close, "grainfs-unmount");
    }

    /**
     * Mounts the cluster behind {@code client} at {@code mountpoint} (created if missing) and returns
     * once the mount serves. A stale GrainFS mount left there by a dead process is cleared first.
     *
     * @throws IOException when FUSE is unavailable, the directory is in use, or libfuse refuses the options
     */
    public static FuseMount mount(GrainClient client, Path mountpoint, MountOptions opts) throws IOException {
        if (!fuseAvailable()) {
            throw new IOException("FUSE is not available: needs /dev/fuse, libfuse.so.2 and fusermount "
                    + "(apt-get install fuse libfuse2)");
        }
        if (!Charset.defaultCharset().equals(StandardCharsets.UTF_8)) {
            log.warn("default charset is {}: file names outside ASCII need -Dfile.encoding=UTF-8",
                    Charset.defaultCharset());
        }
        Path dir = mountpoint.toAbsolutePath().normalize();
        clearStaleMount(dir);
        MountMetrics metrics = new MountMetrics();
        Vfs vfs = new Vfs(client, opts.vfsConfig(), metrics);
        metrics.watch(vfs);
        HttpStatusServer http = null;
        HostPort metricsAt = null;
        if (opts.metrics() != null) { // before mounting: a taken port fails the mount, leaving nothing behind
            http = new HttpStatusServer("mount").route("/metrics", q -> metrics.page());
            try {
                metricsAt = http.start(opts.metrics().host(), opts.metrics().port());
            } catch (IOException e) {
                http.close();
                vfs.close();
                throw new IOException("metrics_port: " + e.getMessage(), e);
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            if (http != null) {
                http.close();
            }
            vfs.close();
            throw e;
        }
        GrainFuse fs = new GrainFuse(vfs, metrics);
        String[] args = opts.fuseArgs("grainfs@" + client.master()).toArray(new String[0]);
        CompletableFuture<Void> loopDone = new CompletableFuture<>();
        Thread loop = new Thread(() -> {
            try {
                fs.mount(dir, true, false, args); // returns when the file system is unmounted
                loopDone.complete(null);
            } catch (Throwable t) {
                loopDone.completeExceptionally(t);
            }
        }, "grainfs-fuse");
        loop.setDaemon(true);
        loop.start();
        FuseMount m = new FuseMount(dir, vfs, loopDone);
        m.http = http;
        m.metricsAddress = metricsAt;
        try {
            if (!awaitLive(fs, loopDone)) {
                m.close();
                throw new IOException(dir + ": mount did not come up within " + MOUNT_TIMEOUT_MS + " ms");
            }
        } catch (IOException e) {
            m.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(m.shutdownHook);
        log.info("mounted {} at {} ({})", client.master(), dir, String.join(" ", args));
        return m;
    }

    private static boolean awaitLive(GrainFuse fs, CompletableFuture<Void> loopDone) throws IOException {
        long deadline = System.nanoTime() + MOUNT_TIMEOUT_MS * 1_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                if (fs.live().await(50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (loopDone.isDone()) {
                    loopDone.join(); // throws the reason when libfuse failed
                    throw new IOException("libfuse exited before the mount came up");
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while mounting", e);
        } catch (RuntimeException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IOException("mount failed: " + c.getMessage()
                    + " (is the directory empty and not mounted already? see the libfuse message above)", c);
        }
    }

    /** libfuse 2 is loadable, /dev/fuse can be opened, and fusermount is installed. */
    public static boolean fuseAvailable() {
        Path dev = Path.of("/dev/fuse");
        if (!Files.isReadable(dev) || !Files.isWritable(dev) || findOnPath("fusermount") == null) {
            return false;
        }
        for (String name : List.of("fuse", "libfuse.so.2")) {
            try {
                return LibraryLoader.create(LibFuseProbe.class).failImmediately().load(name).fuse_version() >= 26;
            } catch (Throwable t) {
                // try the next name
            }
        }
        return false;
    }

    /** The one libfuse symbol needed to know the library is there and is version 2. */
    public interface LibFuseProbe {
        int fuse_version();
    }

    public Path mountpoint() {
        return mountpoint;
    }

    /** Where /metrics is served (the bound port when 0 was asked for), or null when metrics are off. */
    public HostPort metricsAddress() {
        return metricsAddress;
    }

    /** Blocks until the file system is unmounted (close, fusermount -u, umount or SIGTERM). */
    public void awaitUnmount() throws InterruptedException {
        try {
            loopDone.get();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("{}: FUSE loop ended with {}", mountpoint, e.getCause().toString());
        } finally {
            vfs.close();
        }
    }

    public boolean isMounted() {
        return !loopDone.isDone() && MountTable.typeAt(mountpoint) != null;
    }

    /** Unmounts (lazily if busy), waits for the FUSE loop to end, then flushes what is still open. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!loopDone.isDone()) {
                unmount(mountpoint);
                loopDone.get(UNMOUNT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("{}: FUSE loop still running {} ms after unmount (a process holds files open)",
                    mountpoint, UNMOUNT_TIMEOUT_MS);
        } catch (Exception e) {
            log.debug("{}: FUSE loop ended with {}", mountpoint, e.toString());
        } finally {
            vfs.close();
            if (http != null) {
                http.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | SecurityException e) {
                // already shutting down: this is the hook
            }
        }
    }

    private static void unmount(Path dir) {
        List<List<String>> tries = List.of(List.of("fusermount", "-u", "-z", dir.toString()),
                List.of("umount", "-l", dir.toString()));
        for (List<String> cmd : tries) {
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() == 0) {
                    return;
                }
                log.debug("{}: {}", String.join(" ", cmd), out);
            } catch (IOException e) {
                log.debug("{}: {}", cmd.get(0), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A GrainFS mount whose process died leaves "Transport endpoint is not connected": detach it. */
    private static void clearStaleMount(Path dir) throws IOException {
        String type = MountTable.typeAt(dir);
        if (type == null) {
            return;
        }
        if (!type.equals("fuse.grainfs")) {
            throw new IOException(dir + ": a " + type + " file system is mounted there");
        }
        try {
            Files.readAttributes(dir, "unix:ino");
        } catch (IOException e) {
            log.warn("{}: clearing a stale GrainFS mount ({})", dir, e.getMessage());
            unmount(dir);
            return;
        }
        throw new IOException(dir + ": GrainFS is already mounted there");
    }

    private static Path findOnPath(String exe) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) {
                return Path.of(d, exe);
            }
        }
        return null;
    }
}
