package dev.grainfs.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a system command (dpkg, systemd-analyze, a shell script) to completion and keeps what it printed. */
final class Exec {
    private Exec() {
    }

    record Result(int exit, String out, String err) {
        /** Both streams, for assertion messages. */
        String output() {
            return out + err;
        }
    }

    static Result run(String... cmd) throws IOException, InterruptedException {
        return run(new ProcessBuilder(cmd), 300);
    }

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        return run(new ProcessBuilder(cmd), 300);
    }

    static Result run(ProcessBuilder pb, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", pb.command()) + " did not finish in " + timeoutSeconds + "s");
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    /** True when {@code tool} is on PATH. */
    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
