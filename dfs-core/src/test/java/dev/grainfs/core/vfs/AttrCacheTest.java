package dev.grainfs.core.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.wire.proto.FileType;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AttrCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final AttrCache cache = new AttrCache(100, now::get);

    static FileStat file(long inode, long size) {
        return new FileStat(inode, FileType.REGULAR, 0644, 0, 0, size, 1, 2, 3, 3, 64 << 20, 1, 0, "");
    }

    @Test
    void entriesLiveForTheirTtl() {
        cache.put("/a", file(2, 10));
        now.addAndGet(99);
        assertEquals(10, cache.get("/a").size());
        now.addAndGet(1);
        assertNull(cache.get("/a"));
        assertEquals(0, cache.size());
    }

    @Test
    void zeroTtlCachesNothing() {
        AttrCache off = new AttrCache(0, now::get);
        off.put("/a", file(2, 10));
        assertNull(off.get("/a"));
    }

    @Test
    void invalidateWithParentDropsBoth() {
        cache.put("/d", file(2, 0));
        cache.put("/d/x", file(3, 0));
        cache.put("/d/y", file(4, 0));
        cache.invalidateWithParent("/d/x");
        assertNull(cache.get("/d"));
        assertNull(cache.get("/d/x"));
        assertNotNull(cache.get("/d/y"));
    }

    @Test
    void invalidateTreeDropsEverythingBelowButNotSiblingsWithTheSamePrefix() {
        cache.put("/d", file(2, 0));
        cache.put("/d/x", file(3, 0));
        cache.put("/d/x/deep", file(4, 0));
        cache.put("/dd", file(5, 0));
        cache.invalidateTree("/d");
        assertNull(cache.get("/d"));
        assertNull(cache.get("/d/x"));
        assertNull(cache.get("/d/x/deep"));
        assertNotNull(cache.get("/dd"));
    }

    @Test
    void topLevelParentIsRoot() {
        cache.put("/", file(1, 0));
        cache.invalidateWithParent("/top");
        assertNull(cache.get("/"));
    }
}
