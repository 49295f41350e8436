package dev.grainfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.vfs.OpenFlags;
import dev.grainfs.core.vfs.TimeSpec;
import dev.grainfs.core.vfs.Vfs;
import dev.grainfs.core.vfs.VfsConfig;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Vfs against a real cluster, without a kernel: the semantics the FUSE adapter relies on. */
class VfsClusterTest {
    static final Caller ROOT = Caller.newBuilder().setUid(0).setGid(0).build();
    static final Caller USER = Caller.newBuilder().setUid(1000).setGid(1000).build();
    static final int RW = OpenFlags.O_RDWR;

    @TempDir
    static Path tmp;
    static MiniCluster cluster;
    static GrainClient other;
    static Vfs vfs;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder(tmp).start();
        vfs = new Vfs(cluster.client(), VfsConfig.defaults().withAttrTtl(Duration.ofMillis(300)));
        other = cluster.client();
        vfs.mkdir(ROOT, "/pub", 0777);
    }

    @AfterAll
    static void stop() {
        vfs.close();
        cluster.close();
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String read(long fh, long off, int n) throws GrainException {
        ByteBuffer b = ByteBuffer.allocate(n);
        int got = vfs.read(fh, off, b);
        return new String(b.array(), 0, got, StandardCharsets.UTF_8);
    }

    @Test
    void statShowsBufferedWritesAndAnotherClientSeesThemAfterClose() throws Exception {
        long fh = vfs.create(ROOT, "/a", 0644, OpenFlags.O_WRONLY | OpenFlags.O_CREAT);
        vfs.write(fh, 0, bytes("hello world"));
        assertEquals(11, vfs.getattr(ROOT, "/a").size(), "this mount sees its own buffered write");
        assertEquals(0, other.stat("/a").size(), "not yet told to the master");
        vfs.flush(fh);
        assertEquals(11, other.stat("/a").size(), "flush (every close) commits");
        vfs.release(fh);
        assertEquals(0, vfs.openHandles());
        try (GrainFile f = other.open("/a", false)) {
            ByteBuffer b = ByteBuffer.allocate(11);
            f.read(0, b);
            assertEquals("hello world", new String(b.array(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void handlesOnOneFileShareItsBufferedData() throws Exception {
        long w = vfs.create(ROOT, "/shared", 0644, RW | OpenFlags.O_CREAT);
        long r = vfs.open(ROOT, "/shared", OpenFlags.O_RDONLY);
        vfs.write(w, 0, bytes("abcdef"));
        assertEquals("cdef", read(r, 2, 10));
        vfs.release(w);
        assertEquals("abc", read(r, 0, 3));
        vfs.release(r);
    }

    @Test
    void timesSetBeforeCloseSurviveTheClose() throws Exception {
        long fh = vfs.create(ROOT, "/t", 0644, OpenFlags.O_WRONLY);
        vfs.write(fh, 0, bytes("data"));
        vfs.utimens(ROOT, "/t", new TimeSpec(1_000, 0), new TimeSpec(2_000, 5));
        vfs.flush(fh);
        vfs.release(fh);
        FileStat st = other.stat("/t");
        assertEquals(2_000_000_000_005L, st.mtimeNs());
        assertEquals(1_000_000_000_000L, st.atimeNs());
        assertEquals(4, st.size());
        vfs.utimens(ROOT, "/t", TimeSpec.OMIT, new TimeSpec(3_000, 0));
        assertEquals(1_000_000_000_000L, other.stat("/t").atimeNs(), "UTIME_OMIT leaves atime");
        assertEquals(3_000_000_000_000L, other.stat("/t").mtimeNs());
    }

    @Test
    void renameWhileOpenWritesToTheNewName() throws Exception {
        long fh = vfs.create(ROOT, "/before", 0644, OpenFlags.O_WRONLY);
        vfs.write(fh, 0, bytes("moved"));
        vfs.rename(ROOT, "/before", "/after", false);
        vfs.ftruncate(fh, 3); // by handle: follows the file, not the old name
        vfs.release(fh);
        assertEquals(3, other.stat("/after").size());
        assertThrows(GrainException.class, () -> vfs.getattr(ROOT, "/before"));
    }

    @Test
    void truncateByPathGoesThroughTheOpenFile() throws Exception {
        long fh = vfs.create(ROOT, "/cut", 0644, RW);
        vfs.write(fh, 0, bytes("0123456789"));
        vfs.truncate(ROOT, "/cut", 4);
        assertEquals("0123", read(fh, 0, 100));
        assertEquals(4, vfs.getattr(ROOT, "/cut").size());
        vfs.release(fh);
        assertEquals(4, other.stat("/cut").size());
    }

    @Test
    void openChecksPermissionOnceAndTheHandleKeepsWorking() throws Exception {
        long fh = vfs.create(ROOT, "/secret", 0600, OpenFlags.O_WRONLY);
        vfs.release(fh);
        GrainException e = assertThrows(GrainException.class, () -> vfs.open(USER, "/secret", OpenFlags.O_RDONLY));
        assertEquals(StatusCode.EACCES, e.status());
        // a user creates a file read-only (as git does) and still writes through its descriptor
        long mine = vfs.create(USER, "/pub/ro", 0444, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL);
        vfs.write(mine, 0, bytes("ok"));
        vfs.release(mine);
        FileStat st = other.stat("/pub/ro");
        assertEquals(0444, st.mode());
        assertEquals(1000, st.uid());
        assertEquals(2, st.size());
        assertEquals(StatusCode.EACCES, assertThrows(GrainException.class,
                () -> vfs.open(USER, "/pub/ro", OpenFlags.O_WRONLY)).status());
    }

    @Test
    void modeZeroIsKept() throws Exception {
        vfs.release(vfs.create(ROOT, "/zero", 0, OpenFlags.O_WRONLY));
        assertEquals(0, other.stat("/zero").mode());
        vfs.mkdir(ROOT, "/zerodir", 0);
        assertEquals(0, other.stat("/zerodir").mode());
    }

    @Test
    void chownAndUtimensOfASymlinkChangeTheLinkItself() throws Exception {
        vfs.release(vfs.create(ROOT, "/target", 0644, OpenFlags.O_WRONLY));
        vfs.symlink(ROOT, "target", "/link");
        vfs.chown(ROOT, "/link", 1000, 1000);
        vfs.utimens(ROOT, "/link", new TimeSpec(5, 0), new TimeSpec(6, 0));
        assertEquals(1000, other.lstat("/link").uid());
        assertEquals(6_000_000_000L, other.lstat("/link").mtimeNs());
        assertEquals(0, other.stat("/target").uid());
        assertEquals("target", vfs.readlink(ROOT, "/link"));
    }

    @Test
    void changesByOtherClientsShowWithinTheAttributeTtl() throws Exception {
        vfs.mkdir(ROOT, "/ttl", 0755);
        assertEquals(0755, vfs.getattr(ROOT, "/ttl").mode());
        other.chmod("/ttl", 0700);
        Thread.sleep(400);
        assertEquals(0700, vfs.getattr(ROOT, "/ttl").mode());
    }

    @Test
    void accessUsesModeBitsAndCaller() throws Exception {
        vfs.release(vfs.create(ROOT, "/acc", 0640, OpenFlags.O_WRONLY));
        vfs.access(ROOT, "/acc", 6);
        assertEquals(StatusCode.EACCES, assertThrows(GrainException.class, () -> vfs.access(USER, "/acc", 4)).status());
        Caller inGroup = Caller.newBuilder().setUid(1000).setGid(1000).addGroups(0).build();
        vfs.access(inGroup, "/acc", 4);
        assertEquals(StatusCode.ENOENT, assertThrows(GrainException.class, () -> vfs.access(ROOT, "/none", 0)).status());
    }

    @Test
    void readOnlyRefusesEveryChange() throws Exception {
        other.create("/rofile", CreateOptions.defaults()).close();
        try (Vfs ro = new Vfs(other, VfsConfig.defaults().withReadOnly(true))) {
            assertEquals(StatusCode.EROFS, assertThrows(GrainException.class, () -> ro.mkdir(ROOT, "/x", 0755)).status());
            assertEquals(StatusCode.EROFS, assertThrows(GrainException.class,
                    () -> ro.open(ROOT, "/rofile", OpenFlags.O_WRONLY)).status());
            assertEquals(StatusCode.EROFS, assertThrows(GrainException.class, () -> ro.access(ROOT, "/rofile", 2)).status());
            ro.release(ro.open(ROOT, "/rofile", OpenFlags.O_RDONLY));
        }
    }

    @Test
    void readdirListsWithAttributes() throws Exception {
        vfs.mkdir(ROOT, "/ls", 0755);
        for (int i = 0; i < 30; i++) {
            vfs.release(vfs.create(ROOT, "/ls/f" + i, 0644, OpenFlags.O_WRONLY));
        }
        var entries = vfs.readdir(ROOT, "/ls");
        assertEquals(30, entries.size());
        assertTrue(entries.stream().allMatch(e -> e.stat().isFile()));
    }
}
