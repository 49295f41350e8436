package dev.grainfs.core.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** OpenFlags, TimeSpec, VfsPaths and Callers: the POSIX details that are not a cluster call. */
class SmallPiecesTest {
    @Test
    void openFlagsDecodeAccessModeAndOptions() {
        OpenFlags ro = OpenFlags.of(OpenFlags.O_RDONLY);
        assertTrue(ro.read());
        assertFalse(ro.write());
        assertEquals(Access.R_OK, ro.accessMask());
        OpenFlags w = OpenFlags.of(OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_APPEND);
        assertFalse(w.read());
        assertTrue(w.write() && w.create() && w.exclusive() && w.append());
        assertEquals(Access.W_OK, w.accessMask());
        assertEquals(Access.R_OK | Access.W_OK, OpenFlags.of(OpenFlags.O_RDWR).accessMask());
        assertEquals(Access.R_OK | Access.W_OK, OpenFlags.of(OpenFlags.O_RDONLY | OpenFlags.O_TRUNC).accessMask(),
                "O_TRUNC needs write permission even on a read-only open");
    }

    @Test
    void timeSpecSpecialValues() {
        assertEquals(-1, TimeSpec.OMIT.toNanos(42));
        assertEquals(42, TimeSpec.NOW.toNanos(42));
        assertEquals(1_500_000_007L, new TimeSpec(1, 500_000_007).toNanos(42));
        assertTrue(new TimeSpec(0, TimeSpec.UTIME_NOW).isNow());
    }

    @Test
    void pathsJoinSplitAndMove() {
        assertEquals("/", VfsPaths.parent("/a"));
        assertEquals("/a", VfsPaths.parent("/a/b"));
        assertEquals("/a", VfsPaths.child("/", "a"));
        assertEquals("/a/b", VfsPaths.child("/a", "b"));
        assertTrue(VfsPaths.isWithin("/a/b", "/a"));
        assertTrue(VfsPaths.isWithin("/a", "/a"));
        assertFalse(VfsPaths.isWithin("/ab", "/a"));
        assertEquals("/z/b/c", VfsPaths.moved("/a/b/c", "/a", "/z"));
    }

    @Test
    void callersReadSupplementaryGroupsOncePerPidAndSecond() {
        AtomicInteger reads = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        Callers callers = new Callers(pid -> {
            reads.incrementAndGet();
            return "Name:\tsh\nUid:\t1000\t1000\t1000\t1000\nGroups:\t4 24 1000 \nVmPeak:\t1 kB\n";
        }, now::get);
        assertEquals(List.of(4, 24, 1000), callers.of(1000, 1000, 77).getGroupsList());
        callers.of(1000, 1000, 77);
        assertEquals(1, reads.get());
        now.addAndGet(2_000_000_000L);
        callers.of(1000, 1000, 77);
        assertEquals(2, reads.get());
        assertTrue(callers.of(0, 0, 78).getGroupsList().isEmpty(), "root's groups are never needed");
        assertEquals(2, reads.get());
    }

    @Test
    void aVanishedProcessHasNoGroups() {
        assertEquals(List.of(), Callers.parseGroups(null));
        assertEquals(List.of(), Callers.parseGroups("Name:\tx\nGroups:\t\n"));
    }
}
