package dev.grainfs.daemons.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.security.ClusterKey;
import dev.grainfs.core.security.TestCerts;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole cluster on mutual TLS plus the cluster key: heartbeats, write chains and reads all work. */
class TlsClusterTest {
    @TempDir
    Path dir;

    @Test
    void writeChainsAndReadsRunOverMutualTls() throws Exception {
        TestCerts certs = TestCerts.make(java.nio.file.Files.createDirectories(dir.resolve("pki")));
        ClusterKey key = ClusterKey.random();
        WireSecurity s = WireSecurity.of(key, certs.files());
        try (MiniCluster c = MiniCluster.builder(dir.resolve("cluster")).chunkservers(2)
                .master(m -> m.withReplication(2).withChunkSize(1 << 20)).security(s).start()) {
            GrainClient client = c.client();
            byte[] data = new byte[3 << 20];
            new Random(7).nextBytes(data);
            try (GrainFile f = client.create("/tls", CreateOptions.defaults())) {
                f.write(0, ByteBuffer.wrap(data));
                f.fsync();
            }
            byte[] back = new byte[data.length];
            try (GrainFile f = client.open("/tls", false)) {
                ByteBuffer b = ByteBuffer.wrap(back);
                while (b.hasRemaining() && f.read(b.position(), b) > 0) {
                    // read on
                }
            }
            assertArrayEquals(data, back);
            assertEquals(2, c.master().replicasOf(client.locations("/tls").get(0).getHandle()).size());
            GrainClient plain = c.client(x -> x, WireSecurity.of(key));
            GrainException e = assertThrows(GrainException.class, () -> plain.stat("/"));
            assertEquals(StatusCode.EAUTH, e.status(), e.getMessage());
        }
    }
}
