package dev.grainfs.core.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class HandleTableTest {
    private final HandleTable<String> table = new HandleTable<>();

    @Test
    void handlesOnOneInodeShareTheFirstValue() {
        var a = table.add(7, "first");
        var b = table.add(7, "second");
        assertTrue(a.candidateKept());
        assertFalse(b.candidateKept());
        assertEquals("first", b.value());
        assertNotEquals(a.fh(), b.fh());
        assertEquals("first", table.get(b.fh()));
        assertEquals("first", table.shared(7));
    }

    @Test
    void valueIsReturnedOnlyByTheLastRelease() {
        var a = table.add(7, "v");
        long b = table.share(7);
        assertNull(table.release(a.fh()));
        assertEquals("v", table.get(b));
        assertEquals("v", table.release(b));
        assertNull(table.shared(7));
        assertNull(table.get(b));
        assertNull(table.release(b), "a second release of a handle does nothing");
    }

    @Test
    void shareWithoutAnOpenValueGivesNull() {
        assertNull(table.share(9));
    }

    @Test
    void clearHandsBackEveryValueOnce() {
        table.add(1, "a");
        table.add(1, "a2");
        table.add(2, "b");
        List<String> all = table.clear();
        all.sort(null);
        assertEquals(List.of("a", "b"), all);
        assertEquals(0, table.handleCount());
    }

    @Test
    void concurrentOpensAndReleasesBalance() throws Exception {
        ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    long inode = i % 3;
                    var a = table.add(inode, "t" + id + "-" + i);
                    String last = table.release(a.fh());
                    if (last != null) {
                        closed.add(last);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, table.handleCount());
        assertTrue(table.values().isEmpty());
        assertFalse(closed.isEmpty());
    }
}
