package dev.grainfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master or chunkserver outage gives EIO after a bounded time (the client's retryMs and
 * callTimeoutMs: 3 s and 5 s in this fixture), never a hung mount; the mount works again once
 * the cluster is back.
 */
@Tag("fuse")
class FuseOutageTest {
    static final long BOUND_MS = 30_000;

    @TempDir
    Path tmp;

    @Test
    void masterOutageGivesEioThenRecovers() throws Exception {
        try (MountedCluster m = MountedCluster.start(tmp.resolve("c"), "attr_timeout=0,entry_timeout=0")) {
            m.sh("echo before > f").ok();
            m.cluster.stopMaster();
            long t0 = System.currentTimeMillis();
            String mnt = m.mnt.toString();
            MountedCluster.Result r = m.shOutside("stat " + mnt + "/new-name; ls " + mnt + "; echo x > " + mnt + "/g");
            long took = System.currentTimeMillis() - t0;
            assertNotEquals(0, r.code());
            assertTrue(r.out().contains("Input/output error"), r.out());
            assertTrue(took < 3 * BOUND_MS, "three calls answered within the bound, took " + took + " ms");

            m.cluster.startMaster();
            m.cluster.waitForServers(3);
            assertEquals("before\n", retry(m, "cat f").out());
            m.sh("echo after > g && cat g").ok();
        }
    }

    @Test
    void chunkserverOutageGivesEioOnDataNotOnNames() throws Exception {
        try (MountedCluster m = MountedCluster.start(tmp.resolve("c"), "attr_timeout=0,entry_timeout=0")) {
            m.sh("head -c 3000000 /dev/urandom > data").ok();
            for (int i = 0; i < m.cluster.chunkServerCount(); i++) {
                m.cluster.stopChunkServer(i);
            }
            long t0 = System.currentTimeMillis();
            MountedCluster.Result r = m.sh("cat data > /dev/null");
            long took = System.currentTimeMillis() - t0;
            assertNotEquals(0, r.code());
            assertTrue(r.out().contains("Input/output error"), r.out());
            assertTrue(took < BOUND_MS, "read failed within the bound, took " + took + " ms");
            m.sh("ls -l data && mkdir still-works").ok(); // metadata still answers

            for (int i = 0; i < m.cluster.chunkServerCount(); i++) {
                m.cluster.startChunkServer(i);
            }
            m.cluster.waitForServers(3);
            retry(m, "cat data > /dev/null");
        }
    }

    /** The cluster needs a few heartbeats to settle after a restart. */
    private static MountedCluster.Result retry(MountedCluster m, String cmd) throws Exception {
        MountedCluster.Result r = null;
        for (int i = 0; i < 60; i++) {
            r = m.sh(cmd);
            if (r.code() == 0) {
                return r;
            }
            Thread.sleep(500);
        }
        return r.ok();
    }
}
