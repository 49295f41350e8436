package dev.grainfs.core.security;

import dev.grainfs.core.id.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback TCP relay that records every byte passing through it in both directions: the
 * stand-in for a packet capture (tshark is not installed on the build machines) — it sees exactly
 * the bytes a peer on the wire would see.
 */
final class TapRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final HostPort target;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    TapRelay(HostPort target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "tap-relay");
        t.setDaemon(true);
        t.start();
    }

    HostPort address() {
        return new HostPort("127.0.0.1", listener.getLocalPort());
    }

    synchronized byte[] seen() {
        return seen.toByteArray();
    }

    private void accept() {
        try {
            while (true) {
                Socket in = listener.accept();
                Socket out = new Socket(target.host(), target.port());
                pump(in, out);
                pump(out, in);
            }
        } catch (IOException closed) {
            // relay closed
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                for (int n; (n = i.read(buf)) > 0; ) {
                    synchronized (this) {
                        seen.write(buf, 0, n);
                    }
                    o.write(buf, 0, n);
                }
            } catch (IOException done) {
                // either side hung up
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "tap-pump");
        t.setDaemon(true);
        t.start();
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
