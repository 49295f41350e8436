package dev.grainfs.daemons.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.security.ClusterKey;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POSIX permissions as the master enforces them for every client, told apart by their Caller. */
class PermissionsTest {
    static final Caller ROOT = Caller.newBuilder().setUid(0).setGid(0).build();
    static final Caller ALICE = Caller.newBuilder().setUid(1000).setGid(1000).build();
    static final Caller BOB = Caller.newBuilder().setUid(1001).setGid(1001).build();
    @TempDir
    static Path dir;
    static MiniCluster cluster;
    static GrainClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(1))
                .security(WireSecurity.of(ClusterKey.random())).start();
        client = cluster.client();
        client.mkdir(ROOT, "/home", 0755, false);
        client.mkdir(ROOT, "/home/alice", 0755, false);
        client.chown(ROOT, "/home/alice", 1000, 1000);
        try (GrainFile f = client.create(ALICE, "/home/alice/secret", CreateOptions.defaults().withMode(0600))) {
            f.write(0, ByteBuffer.wrap("alice's secret".getBytes()));
        }
        client.mkdir(ALICE, "/home/alice/private", 0700, false);
        try (GrainFile f = client.create(ALICE, "/home/alice/private/open", CreateOptions.defaults().withMode(0644))) {
            f.write(0, ByteBuffer.wrap("readable, but behind a closed door".getBytes()));
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static void denied(StatusCode expected, Op op) {
        GrainException e = assertThrows(GrainException.class, op::run);
        assertEquals(expected, e.status(), e.getMessage());
    }

    interface Op {
        void run() throws Exception;
    }

    static int read(Caller c, String path) throws Exception {
        try (GrainFile f = client.open(c, path, false)) {
            return f.read(0, ByteBuffer.allocate(64));
        }
    }

    @Test
    void anotherUsersOwnerOnlyFileCannotBeReadOrWritten() throws Exception {
        assertEquals(14, read(ALICE, "/home/alice/secret"));
        assertEquals(14, read(ROOT, "/home/alice/secret"));
        denied(StatusCode.EACCES, () -> read(BOB, "/home/alice/secret"));
        denied(StatusCode.EACCES, () -> {
            try (GrainFile f = client.open(BOB, "/home/alice/secret", true)) {
                f.write(0, ByteBuffer.wrap("x".getBytes()));
                f.fsync();
            }
        });
        denied(StatusCode.EACCES, () -> client.truncate(BOB, "/home/alice/secret", 0));
    }

    @Test
    void noSearchPermissionNoEntry() throws Exception {
        assertEquals(34, read(ALICE, "/home/alice/private/open"));
        denied(StatusCode.EACCES, () -> client.stat(BOB, "/home/alice/private/open"));
        denied(StatusCode.EACCES, () -> read(BOB, "/home/alice/private/open"));
        denied(StatusCode.EACCES, () -> client.list(BOB, "/home/alice/private"));
        denied(StatusCode.EACCES, () -> client.create(BOB, "/home/alice/private/new", CreateOptions.defaults()).close());
    }

    @Test
    void onlyTheOwnerChmodsAndOnlyRootGivesAFileAway() throws Exception {
        denied(StatusCode.EPERM, () -> client.chmod(BOB, "/home/alice/secret", 0666));
        denied(StatusCode.EPERM, () -> client.chown(BOB, "/home/alice/secret", 1001, 1001));
        denied(StatusCode.EPERM, () -> client.chown(ALICE, "/home/alice/secret", 1001, 1001));
        assertEquals(0600, client.stat(ROOT, "/home/alice/secret").mode() & 07777);
        client.chmod(ALICE, "/home/alice/secret", 0640);
        client.chmod(ALICE, "/home/alice/secret", 0600);
    }

    @Test
    void stickyDirectoryKeepsOthersFilesSafe() throws Exception {
        client.mkdir(ROOT, "/tmp", 01777, false);
        client.chmod(ROOT, "/tmp", 01777);
        client.create(ALICE, "/tmp/a", CreateOptions.defaults()).close();
        denied(StatusCode.EACCES, () -> client.delete(BOB, "/tmp/a", false, false, false));
        denied(StatusCode.EACCES, () -> client.rename(BOB, "/tmp/a", "/tmp/b", false));
        client.delete(ALICE, "/tmp/a", false, false, false);
    }
}
