package dev.grainfs.daemons.chunkserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.wire.proto.HeartbeatRequest;
import org.junit.jupiter.api.Test;

/** A chunkserver with two masters: each hears of every replica change, only the newest epoch is obeyed. */
class MasterFencingTest {
    @Test
    void everyMasterGetsEveryChangeAndAFailedHeartbeatKeepsItsOwn() {
        ChunkReports r = new ChunkReports(2);
        r.added(1, 1, 100);
        r.removed(2);
        HeartbeatRequest.Builder toActive = HeartbeatRequest.newBuilder();
        ChunkReports.Drained d = r.drainInto(0, toActive);
        assertEquals(1, toActive.getAddedCount());
        assertEquals(1, toActive.getRemovedCount());
        r.restore(0, d); // that heartbeat failed: master 0 gets them again, master 1 still has its own

        HeartbeatRequest.Builder toShadow = HeartbeatRequest.newBuilder();
        r.drainInto(1, toShadow);
        assertEquals(1, toShadow.getAddedCount());
        assertEquals(1, toShadow.getRemovedCount());
        HeartbeatRequest.Builder again = HeartbeatRequest.newBuilder();
        r.drainInto(1, again);
        assertEquals(0, again.getAddedCount() + again.getRemovedCount(), "drained once per master");

        HeartbeatRequest.Builder retry = HeartbeatRequest.newBuilder();
        r.drainInto(0, retry);
        assertEquals(1, retry.getAddedCount());
    }

    @Test
    void ordersOfAnOlderEpochAreRefusedOnceANewerOneIsSeen() {
        MasterEpoch e = new MasterEpoch();
        assertFalse(e.admit(0, "shadow"), "a shadow (epoch 0) gives no orders");
        assertTrue(e.admit(1, "old"));
        assertTrue(e.admit(2, "promoted"));
        assertFalse(e.admit(1, "old"), "the old master is fenced");
        assertTrue(e.admit(2, "promoted"));
        assertEquals(2, e.highest());
    }
}
