package dev.grainfs.daemons.node;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node running {@link NodeMain#run} on a thread of the test's JVM, fed through OS pipes as a
 * harness feeds the process, on the test's clock (moved with {@link #advance}) and data directory.
 */
final class NodeThread implements AutoCloseable {
    private final AtomicLong clockMs = new AtomicLong(1_000_000);
    private final OutputStream toNode;
    private final BufferedReader fromNode;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile int exitCode = -1;

    private NodeThread(Path dataDir) throws IOException {
        Pipe requests = Pipe.open();
        Pipe replies = Pipe.open();
        toNode = Channels.newOutputStream(requests.sink());
        fromNode = new BufferedReader(new InputStreamReader(Channels.newInputStream(replies.source()),
                StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(Channels.newOutputStream(replies.sink()), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        thread = new Thread(() -> {
            exitCode = NodeMain.run(Channels.newInputStream(requests.source()), out, err, clockMs::get, dataDir);
            out.close();
        }, "grainfs-node");
        thread.setDaemon(true);
        thread.start();
    }

    static NodeThread start(Path dataDir) throws IOException {
        return new NodeThread(dataDir);
    }

    void advance(long ms) {
        clockMs.addAndGet(ms);
    }

    /** Writes one request line (a newline is added) without waiting. */
    void write(String line) throws IOException {
        toNode.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toNode.flush();
    }

    /** The next reply line; null when the node closed stdout. */
    String read() throws IOException {
        return fromNode.readLine();
    }

    String send(String line) throws IOException {
        write(line);
        return read();
    }

    String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** Closes the node's stdin and waits for run() to return; its exit code. */
    int finish() throws IOException, InterruptedException {
        toNode.close();
        thread.join(10_000);
        return exitCode;
    }

    @Override
    public void close() throws Exception {
        if (thread.isAlive()) {
            finish();
        }
    }
}
