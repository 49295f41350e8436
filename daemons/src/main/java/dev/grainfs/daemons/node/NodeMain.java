package dev.grainfs.daemons.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * {@code grainfs node}: speaks the design exercises' JSON-lines protocol on stdin/stdout, one reply
 * line per request line, backed by the master's real classes (docs/node-protocol.md). Logs go to
 * stderr; the simulated chunkservers keep their replica files in a temporary directory (on /dev/shm
 * when there is one) that is removed at the end.
 */
public final class NodeMain {
    /** The longest request line read; a 64 MiB chunk_write of ASCII data fits. */
    static final int MAX_LINE_CHARS = 80 << 20;

    private NodeMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.in, System.out, System.err));
    }

    /**
     * Serves requests from {@code in} until it ends, on the calling thread; returns the exit status:
     * 0 at the end of the input, 1 if a stream failed.
     */
    public static int run(InputStream in, PrintStream out, PrintStream err) {
        Path dir;
        try {
            // the chunk store fsyncs every new replica: on tmpfs that costs nothing, and the data is scratch
            Path shm = Path.of("/dev/shm");
            dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "grainfs-node-")
                    : Files.createTempDirectory("grainfs-node-");
        } catch (IOException e) {
            err.println("grainfs node: cannot create a data directory: " + e);
            return 1;
        }
        // a harness stops the node with a signal more often than by closing stdin
        Thread cleanup = new Thread(() -> deleteTree(dir, err), "grainfs-node-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            long t0 = System.nanoTime();
            Warmup.run(dir.resolve("warmup"));
            err.printf("grainfs node: ready (warm-up %d ms)%n", (System.nanoTime() - t0) / 1_000_000);
            long origin = System.nanoTime();
            return run(in, out, err, () -> (System.nanoTime() - origin) / 1_000_000, dir.resolve("node"));
        } catch (IOException e) {
            err.println("grainfs node: warm-up failed: " + e);
            return 1;
        } finally {
            deleteTree(dir, err);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to; it finds nothing left to delete
            }
        }
    }

    /** As {@link #run(InputStream, PrintStream, PrintStream)} with a given clock (monotonic ms) and data directory. */
    static int run(InputStream in, PrintStream out, PrintStream err, LongSupplier clockMs, Path dataDir) {
        LineReader lines = new LineReader(new InputStreamReader(in, StandardCharsets.UTF_8), MAX_LINE_CHARS);
        try (NodeProtocol node = new NodeProtocol(clockMs, dataDir, err)) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (line.isBlank()) {
                    continue;
                }
                String reply = line != LineReader.TOO_LONG ? node.handle(line) : node.reject(
                        new NodeError(NodeError.MALFORMED, "line longer than %d characters", MAX_LINE_CHARS));
                out.print(reply);
                out.print('\n');
                if (out.checkError()) { // flushes; true once stdout is gone
                    err.println("grainfs node: stdout is closed");
                    return 1;
                }
            }
            return 0;
        } catch (IOException e) {
            err.println("grainfs node: stream failed: " + e);
            return 1;
        }
    }

    private static void deleteTree(Path dir, PrintStream err) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            err.println("grainfs node: could not remove " + dir + ": " + e);
        }
    }
}
