package dev.grainfs.dist;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this machine's disk and loopback can move, measured beside a benchmark so its numbers can be read
 * against them: dd writing 1 GiB of zeros into a directory, and one TCP stream over loopback between two
 * Java threads (the daemons' own transport is Java NIO over TCP too).
 */
final class MachineThroughput {
    private static final Pattern DD = Pattern.compile("(\\d+) bytes .* copied, ([0-9.,e-]+) s");

    private MachineThroughput() {
    }

    /** MiB/s of `dd if=/dev/zero of=DIR/dd.tmp bs=1M count=1024 FLAG` (conv=fsync or oflag=direct). */
    static double ddWrite(Path dir, String flag) throws Exception {
        Files.createDirectories(dir);
        Path f = dir.resolve("dd.tmp");
        try {
            Exec.Result r = Exec.run("dd", "if=/dev/zero", "of=" + f, "bs=1M", "count=1024", flag);
            Matcher m = DD.matcher(r.err());
            if (r.exit() != 0 || !m.find()) {
                throw new IllegalStateException("dd " + flag + " failed: " + r.output());
            }
            return Long.parseLong(m.group(1)) / 1048576.0 / Double.parseDouble(m.group(2).replace(',', '.'));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** MiB/s of one loopback TCP connection carrying {@code bytes} in 1 MiB writes. */
    static double loopback(long bytes) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel in = server.accept()) {
                    ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                    long total = 0;
                    for (int n; (n = in.read(b)) >= 0; b.clear()) {
                        total += n;
                    }
                    return total;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long start = System.nanoTime();
            try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                for (long sent = 0; sent < bytes; sent += 1 << 20) {
                    b.clear();
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
            }
            long got = received.join();
            return got / 1048576.0 / ((System.nanoTime() - start) / 1e9);
        }
    }
}
