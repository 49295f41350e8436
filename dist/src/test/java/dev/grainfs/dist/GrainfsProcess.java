package dev.grainfs.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A `grainfs ...` process: a real JVM running the distribution's Main, as the launcher would.
 * Daemons are waited on until they print their "listening on"/"ready:" line.
 */
final class GrainfsProcess implements AutoCloseable {
    final Process process;
    final String firstLine;
    private final Path log;

    private GrainfsProcess(Process p, String firstLine, Path log) {
        this.process = p;
        this.firstLine = firstLine;
        this.log = log;
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.grainfs.dist.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts a daemon and waits for its first stdout line (its address). */
    static GrainfsProcess daemon(Path log, String... args) throws IOException {
        return daemon(new ProcessBuilder(command(args)), log, args[0]);
    }

    /** Starts {@code pb} (stderr to {@code log}) and waits for its first stdout line. */
    static GrainfsProcess daemon(ProcessBuilder pb, Path log, String name) throws IOException {
        pb.redirectError(log.toFile());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first;
        try {
            first = line.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("daemon " + name + " did not start: " + e + "; see " + log);
        }
        if (first == null) {
            p.destroyForcibly();
            throw new IOException("daemon " + name + " exited before listening; see " + log);
        }
        return new GrainfsProcess(p, first, log);
    }

    /** "listening on 127.0.0.1:PORT" -> "127.0.0.1:PORT". */
    String address() {
        return firstLine.substring(firstLine.lastIndexOf(' ') + 1);
    }

    /** Runs a one-shot command; returns exit code, stdout and stderr. */
    static Result run(String... args) throws Exception {
        Process p = new ProcessBuilder(command(args)).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("grainfs " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                new String(err.get(), StandardCharsets.UTF_8));
    }

    static Process start(String... args) throws IOException {
        return new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    record Result(int exit, String out, String err) {
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
