package dev.grainfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grainfs.core.client.GrainClient;
import dev.grainfs.daemons.testing.MiniCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a MiniCluster mounted through the kernel at BASE/mnt, and a way to run ordinary
 * shell tools against it (as root or as nobody). Skips the test when FUSE or root is missing.
 */
final class MountedCluster implements AutoCloseable {
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    final Path base;
    final Path mnt;
    final MiniCluster cluster;
    final GrainClient client;
    final FuseMount mount;

    /** A shell command's exit code and its stdout+stderr. */
    record Result(int code, String out) {
        Result ok() {
            assertEquals(0, code, out);
            return this;
        }
    }

    private MountedCluster(Path base, MiniCluster cluster, GrainClient client, FuseMount mount) {
        this.base = base;
        this.mnt = mount.mountpoint();
        this.cluster = cluster;
        this.client = client;
        this.mount = mount;
    }

    static void assumeFuse() {
        assumeTrue(FuseMount.fuseAvailable(), "FUSE unavailable (apt-get install fuse libfuse2)");
        assumeTrue("root".equals(System.getProperty("user.name")), "the FUSE tests mount as root");
    }

    /** Starts a 3-chunkserver cluster under {@code base} and mounts it with {@code opts} (plus allow_other). */
    static MountedCluster start(Path base, String opts) throws IOException {
        assumeFuse();
        openUp(base);
        MiniCluster cluster = MiniCluster.builder(base.resolve("cluster")).start();
        GrainClient client = cluster.client(c -> c.withRetryMs(3_000).withCallTimeoutMs(5_000));
        String o = opts.isEmpty() ? "allow_other" : "allow_other," + opts;
        FuseMount mount = FuseMount.mount(client, base.resolve("mnt"), MountOptions.parse(o));
        return new MountedCluster(base, cluster, client, mount);
    }

    /** JUnit's temp dirs are 0700: let nobody walk down to the mount point. */
    static void openUp(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Path p = dir; p != null && !p.toString().equals("/tmp") && p.getParent() != null; p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    Result sh(String script) throws Exception {
        return run(List.of("timeout", "600", "bash", "-c", script));
    }

    Result asNobody(String script) throws Exception {
        return run(List.of("timeout", "600", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "bash", "-c", script));
    }

    /** Runs from outside the mount (whose root may be failing): use absolute paths. */
    Result shOutside(String script) throws Exception {
        return run(List.of("timeout", "600", "bash", "-c", script), base);
    }

    Result run(List<String> cmd) throws Exception {
        return run(cmd, mnt);
    }

    private Result run(List<String> cmd, Path cwd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(11, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        mount.close();
        cluster.close();
    }
}
