package dev.grainfs.daemons.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * `grainfs node` as a harness runs it: {@link NodeMain#main} in a child JVM, requests on its stdin,
 * replies read from its stdout, its stderr collected (it must hold every log line).
 */
final class NodeJvm implements AutoCloseable {
    private final Process process;
    private final OutputStream toNode;
    private final BufferedReader fromNode;
    private final StringBuffer stderr = new StringBuffer();

    private NodeJvm(Process process) {
        this.process = process;
        this.toNode = process.getOutputStream();
        this.fromNode = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread drain = new Thread(() -> copy(process.getErrorStream()), "node-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    static NodeJvm start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new NodeJvm(new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                NodeMain.class.getName()).start());
    }

    /** Waits for the "ready" line the node writes on stderr once it has warmed up. */
    void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stderr.indexOf("grainfs node: ready") < 0) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("the node never became ready; stderr:\n" + stderr);
            }
            Thread.sleep(5);
        }
    }

    String send(String line) throws IOException {
        toNode.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toNode.flush();
        return fromNode.readLine();
    }

    String stderr() {
        return stderr.toString();
    }

    /** Closes the node's stdin and waits for it to exit; its exit status. */
    int finish() throws IOException, InterruptedException {
        toNode.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the node did not exit at the end of its input");
        }
        return process.exitValue();
    }

    private void copy(InputStream in) {
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            stderr.append("\n[stderr read failed: ").append(e).append(']');
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
