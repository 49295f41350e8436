package dev.grainfs.daemons.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.master.Exports;
import dev.grainfs.daemons.testing.MiniCluster;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root squashing per client network and the superuser group. */
class ExportsTest {
    static final Caller ROOT = Caller.newBuilder().setUid(0).setGid(0).build();
    static final Caller ALICE = Caller.newBuilder().setUid(1000).setGid(1000).build();
    static final Caller ADMIN = Caller.newBuilder().setUid(1200).setGid(1200).addGroups(4242).build();

    static InetSocketAddress from(String ip) {
        return new InetSocketAddress(ip, 40000);
    }

    @Test
    void firstMatchingNetworkDecidesAndUnknownNetworksAreSquashed() {
        Exports e = Exports.parse(List.of("# comment", "10.1.0.0/16 no_root_squash", "10.0.0.0/8 root_squash",
                "superuser-group 4242", "anon 99:98"));
        assertEquals(0, e.effective(from("10.1.2.3"), ROOT).getUid());
        assertEquals(99, e.effective(from("10.2.0.1"), ROOT).getUid());
        assertEquals(98, e.effective(from("10.2.0.1"), ROOT).getGid());
        assertEquals(99, e.effective(from("192.168.0.1"), ROOT).getUid(), "no rule: squashed");
        assertEquals(1000, e.effective(from("10.2.0.1"), ALICE).getUid(), "only root is squashed");
        assertTrue(e.superuser(ADMIN));
        assertFalse(e.superuser(ALICE));
        assertEquals(0, Exports.OPEN.effective(from("8.8.8.8"), ROOT).getUid(), "no exports file: as before");
        assertThrows(IllegalArgumentException.class, () -> Exports.parse(List.of("10.0.0.0/8 squash_everyone")));
        assertThrows(IllegalArgumentException.class, () -> Exports.parse(List.of("10.0.0.0/99 root_squash")));
    }

    @Test
    void squashedRootGetsEaccesAndTheSuperuserGroupDoesNot(@TempDir Path dir) throws Exception {
        try (MiniCluster c = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1))
                .exports(Exports.parse(List.of("127.0.0.0/8 root_squash", "superuser-group 4242"))).start()) {
            GrainClient client = c.client();
            client.mkdir(ADMIN, "/home", 0755, false);
            client.chown(ADMIN, "/home", 1000, 1000);
            try (GrainFile f = client.create(ALICE, "/home/secret", CreateOptions.defaults().withMode(0600))) {
                f.write(0, ByteBuffer.wrap("alice only".getBytes()));
            }
            try (GrainFile f = client.open(ADMIN, "/home/secret", false)) {
                assertEquals(10, f.read(0, ByteBuffer.allocate(32)));
            }
            GrainException e = assertThrows(GrainException.class, () -> {
                try (GrainFile f = client.open(ROOT, "/home/secret", false)) {
                    f.read(0, ByteBuffer.allocate(32));
                }
            });
            assertEquals(StatusCode.EACCES, e.status());
            GrainException chown = assertThrows(GrainException.class, () -> client.chown(ROOT, "/home/secret", 0, 0));
            assertEquals(StatusCode.EPERM, chown.status());
            client.chmod(ADMIN, "/", 0777);
            assertEquals(65534, client.mkdir(ROOT, "/squashed", 0755, false).uid(), "squashed root creates as nobody");
        }
    }
}
