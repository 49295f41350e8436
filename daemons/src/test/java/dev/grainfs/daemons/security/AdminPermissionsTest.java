package dev.grainfs.daemons.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.core.security.ClusterKey;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.FsckRequest;
import dev.grainfs.core.wire.proto.FsckResponse;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.master.Exports;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin operations in a keyed cluster with root squashing: only the superuser (root from an
 * unsquashed host, or the superuser group) changes cluster state; queries stay open but do not
 * name files to others.
 */
class AdminPermissionsTest {
    static final Caller ROOT = Caller.newBuilder().setUid(0).setGid(0).build();
    static final Caller ALICE = Caller.newBuilder().setUid(1000).setGid(1000).build();
    static final Caller ADMIN = Caller.newBuilder().setUid(1200).setGid(1200).addGroups(4242).build();

    @Test
    void onlyTheSuperuserChangesClusterStateAndSeesNames(@TempDir Path dir) throws Exception {
        WireSecurity key = WireSecurity.of(ClusterKey.random());
        try (MiniCluster c = MiniCluster.builder(dir).chunkservers(1).master(m -> m.withReplication(2))
                .exports(Exports.parse(List.of("127.0.0.0/8 root_squash", "superuser-group 4242")))
                .security(key).start()) {
            GrainClient admin = c.client(cfg -> cfg.withCaller(ADMIN), key);
            admin.mkdir(ADMIN, "/private", 0700, false);
            try (GrainFile f = admin.create(ADMIN, "/private/under-replicated", CreateOptions.defaults())) {
                f.write(0, ByteBuffer.wrap("one replica of two".getBytes()));
            }
            admin.create(ADMIN, "/shared", CreateOptions.defaults().withMode(0644)).close();
            for (Caller who : List.of(ROOT, ALICE)) {
                GrainClient user = c.client(cfg -> cfg.withCaller(who), key);
                assertFalse(user.actsAsRoot(who), who.getUid() + " acts as root");
                try (MetadataAdmin a = MetadataAdmin.connect(user.config(), key)) {
                    assertFalse(a.safeModeGet().on(), "anyone may ask");
                    denied(a::safeModeEnter);
                    denied(a::safeModeLeave);
                    denied(a::checkpoint);
                }
                FsckResponse sick = user.fsck(FsckRequest.newBuilder().setPath("/").build());
                assertFalse(sick.getHealthy());
                assertEquals(1, sick.getUnderReplicated(), "the counts are anyone's");
                assertEquals(0, sick.getFileListCount(), "but not the names below /private");
                denied(() -> user.fsck(FsckRequest.newBuilder().setPath("/").setFiles(true).build()));
                denied(() -> user.fsck(FsckRequest.newBuilder().setPath("/").setLocations(true).build()));
                GrainException setrep = assertThrows(GrainException.class, () -> user.setReplication(who, "/shared", 1));
                assertEquals(StatusCode.EPERM, setrep.status(), "setrep on another's file");
            }
            assertTrue(admin.actsAsRoot(ADMIN));
            try (MetadataAdmin a = MetadataAdmin.connect(admin.config(), key)) {
                assertTrue(a.safeModeEnter().on());
                assertFalse(a.safeModeLeave().on());
                assertTrue(a.checkpoint() > 0);
            }
            assertEquals(1, admin.setReplication(ADMIN, "/shared", 1).replication());
            FsckResponse named = admin.fsck(FsckRequest.newBuilder().setPath("/").setFiles(true).build());
            assertEquals("/private/under-replicated", named.getFileList(0).getPath());
        }
    }

    static void denied(Executable call) {
        GrainException e = assertThrows(GrainException.class, call);
        assertEquals(StatusCode.EPERM, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("only root or the superuser group"), e.getMessage());
    }
}
