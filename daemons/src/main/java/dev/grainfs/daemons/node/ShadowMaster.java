package dev.grainfs.daemons.node;

import dev.grainfs.core.GrainException;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.state.MasterState;
import java.util.ArrayDeque;

/**
 * The simulated shadow master: its own MasterState fed by the primary's operation log.
 *
 * Every logged op reaches the shadow before the primary answers (DESIGN: an acknowledged mutation
 * is on the shadow too), but the shadow applies its log only when it tails it, on a fixed period of
 * the node's clock, as an HDFS standby does. The ops received and not yet applied are the WAL lag;
 * failover replays them.
 *
 * <pre>
 *   primary: apply(op) --ship--> shadow.pending --tail, every TAIL_PERIOD_MS--> shadow.state.apply(op)
 * </pre>
 */
final class ShadowMaster {
    static final long TAIL_PERIOD_MS = 1_000;

    private record Entry(MasterOp op, long loggedMs) {
    }

    private final String id;
    private final MasterState state;
    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private final long startMs;

    ShadowMaster(String id, long createdNs, long startMs) {
        this.id = id;
        this.state = new MasterState(createdNs);
        this.startMs = startMs;
    }

    String id() {
        return id;
    }

    MasterState state() {
        return state;
    }

    /** Receives an op the primary applied (and would have made durable) at {@code nowMs}. */
    void ship(MasterOp op, long nowMs) {
        pending.add(new Entry(op, nowMs));
    }

    /**
     * Applies what the tailer has picked up by {@code nowMs}: it runs at startMs + k * TAIL_PERIOD_MS
     * and takes every op logged before that instant.
     */
    void tail(long nowMs) {
        long lastRun = startMs + Math.floorDiv(nowMs - startMs, TAIL_PERIOD_MS) * TAIL_PERIOD_MS;
        while (!pending.isEmpty() && pending.peek().loggedMs() < lastRun) {
            apply(pending.poll());
        }
    }

    int lagEntries() {
        return pending.size();
    }

    /** How long the oldest unapplied op has waited; 0 when the shadow is current. */
    long lagMs(long nowMs) {
        return pending.isEmpty() ? 0 : nowMs - pending.peek().loggedMs();
    }

    /** Failover: applies everything still pending; returns how many ops that was. */
    int replayAll() {
        int n = 0;
        while (!pending.isEmpty()) {
            apply(pending.poll());
            n++;
        }
        return n;
    }

    private void apply(Entry e) {
        try {
            state.apply(e.op());
        } catch (GrainException ex) {
            // the primary applied this op to the same state: a failure here is a bug, not bad input
            throw new IllegalStateException("shadow " + id + " diverged from the primary on " + e.op().getOpCase(), ex);
        }
    }
}
