package dev.grainfs.core.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatAheadTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final StatAhead ahead = new StatAhead(100, now::get);

    private int missesUntilListed(String dir, int max) {
        for (int i = 1; i <= max; i++) {
            if (ahead.missed(dir)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void listsOncePerWindowAfterABurst() {
        assertEquals(StatAhead.MISSES, missesUntilListed("/d", 100));
        assertEquals(-1, missesUntilListed("/d", 100), "not again in the same window");
        assertEquals(StatAhead.MISSES, missesUntilListed("/other", 100), "directories count apart");
        now.addAndGet(101);
        assertEquals(StatAhead.MISSES, missesUntilListed("/d", 100), "a new window");
    }

    @Test
    void slowTrickleNeverLists() {
        for (int i = 0; i < 100; i++) {
            now.addAndGet(20);
            if (i % 4 == 0) {
                now.addAndGet(100);
            }
            assertFalse(ahead.missed("/slow"));
        }
    }

    @Test
    void hugeDirectoriesAreNotListedAgain() {
        assertEquals(StatAhead.MISSES, missesUntilListed("/huge", 100));
        ahead.listed("/huge", StatAhead.MAX_ENTRIES + 1);
        now.addAndGet(101);
        assertEquals(-1, missesUntilListed("/huge", 1000));
    }

    @Test
    void zeroWindowMeansOff() {
        StatAhead off = new StatAhead(0, now::get);
        for (int i = 0; i < 100; i++) {
            assertFalse(off.missed("/d"));
        }
    }
}
