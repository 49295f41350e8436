package dev.grainfs.daemons.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.security.ClusterKey;
import dev.grainfs.core.security.TestCerts;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.daemons.testing.MiniCluster;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A packet capture (tshark on loopback) while a cluster writes a file through a two-replica chain
 * and reads it back: with TLS no file byte appears in the capture; the same run without TLS shows
 * them, which proves the capture sees the traffic at all.
 */
class TlsCaptureTest {
    static final byte[] MARKER = "grainfs-plaintext-marker-7f3a".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void withTlsTheCaptureHoldsNoFileBytes() throws Exception {
        assumeTrue(new File("/usr/bin/tshark").canExecute() && "root".equals(System.getProperty("user.name")),
                "needs tshark (apt-get install tshark) and root to capture");
        ClusterKey key = ClusterKey.random();
        int plain = markersCaptured(dir.resolve("plain"), WireSecurity.of(key));
        assertTrue(plain > 0, "without TLS the capture should show the file's bytes");
        TestCerts certs = TestCerts.make(Files.createDirectories(dir.resolve("pki")));
        int tls = markersCaptured(dir.resolve("tls"), WireSecurity.of(key, certs.files()));
        System.out.printf("packet capture: %d markers in clear without TLS, %d with TLS%n", plain, tls);
        assertEquals(0, tls, "file bytes in clear on the wire with TLS on");
    }

    /** Runs the cluster under tshark; returns how often the marker occurs in the capture file. */
    static int markersCaptured(Path dir, WireSecurity s) throws Exception {
        byte[] data = new byte[1 << 20];
        for (int i = 0; i + MARKER.length <= data.length; i += MARKER.length) {
            System.arraycopy(MARKER, 0, data, i, MARKER.length);
        }
        Path pcap = dir.resolve("capture.pcapng");
        Path log = dir.resolve("tshark.log");
        try (MiniCluster c = MiniCluster.builder(dir.resolve("cluster")).chunkservers(2)
                .master(m -> m.withReplication(2)).security(s).start()) {
            List<String> ports = new ArrayList<>();
            ports.add("tcp port " + c.masterAddress().port());
            for (int i = 0; i < 2; i++) {
                ports.add("tcp port " + c.chunkServer(i).address().port());
            }
            Process tshark = new ProcessBuilder("tshark", "-i", "lo", "-n", "-w", pcap.toString(), "-f",
                    String.join(" or ", ports)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.currentTimeMillis() + 60_000;
                while (!Files.readString(log).contains("Capturing on")) {
                    assertTrue(tshark.isAlive(), "tshark exited: " + Files.readString(log));
                    assertTrue(System.currentTimeMillis() < deadline, "tshark did not start: " + Files.readString(log));
                    Thread.sleep(50);
                }
                GrainClient client = c.client();
                try (GrainFile f = client.create("/f", CreateOptions.defaults())) {
                    f.write(0, ByteBuffer.wrap(data));
                }
                byte[] back = new byte[data.length];
                try (GrainFile f = client.open("/f", false)) {
                    ByteBuffer b = ByteBuffer.wrap(back);
                    while (b.hasRemaining() && f.read(b.position(), b) > 0) {
                        // read on
                    }
                }
                assertArrayEquals(data, back);
            } finally {
                tshark.destroy(); // SIGTERM: tshark finishes the file
                if (!tshark.waitFor(30, TimeUnit.SECONDS)) {
                    tshark.destroyForcibly();
                }
            }
        }
        return count(Files.readAllBytes(pcap), MARKER);
    }

    static int count(byte[] hay, byte[] needle) {
        int n = 0;
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }
}
