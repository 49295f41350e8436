package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.master.chunk.ChunkInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Safe mode, as HDFS has it: while on, the master serves reads but refuses client mutations with
 * EAGAIN (clients retry) and hands out no replica deletions, because until the chunkservers have
 * reported it cannot tell a missing replica from one not yet heard of.
 *
 * <pre>
 *             recovered state has chunks            reported >= threshold * known chunks
 *   start ─────────────────────────────> STARTUP ── and live servers >= minimum, held for ──> OFF
 *     │                                     │        the extension time                      ▲
 *     │ no chunks known (fresh namespace)   │ enter                                          │
 *     └─────────────────────────────> OFF ──┴──────> MANUAL ─────────── leave ───────────────┘
 *                                                     (leave also ends STARTUP at once)
 * </pre>
 *
 * Threading: {@link #isOn} and {@link #refuseMutation} are lock-free (any thread); the others are
 * serialized on this object and take the master's read lock inside it (never the other way round).
 */
final class SafeMode {
    private static final Logger log = LoggerFactory.getLogger(SafeMode.class);

    enum State { OFF, STARTUP, MANUAL }

    /** What {@code grainfs safemode get} shows. */
    record Status(State state, long reportedChunks, long totalChunks, int liveServers, String line) {
        boolean on() {
            return state != State.OFF;
        }
    }

    private final MasterCore core;
    private final SafeModeConfig config;
    private volatile State state;
    private volatile String reason = "";
    private long enteredMs;        // monotonic; guarded by this
    private long conditionsMetMs = -1;  // when the startup conditions started to hold, -1 = not holding

    SafeMode(MasterCore core, SafeModeConfig config) {
        this.core = core;
        this.config = config;
        this.enteredMs = core.monoMs();
        long chunks = core.state.chunks().size();
        if (chunks == 0) {
            state = State.OFF;
            log.info("safe mode OFF: no chunks known, nothing to wait for");
        } else {
            state = State.STARTUP;
            reason = String.format("waiting for chunkservers to report %s of the chunks holding data (%d chunks "
                    + "known) and %d live server(s)", percent(config.threshold()), chunks, config.minServers());
            log.info("safe mode ON: {}; mutations are refused until then", reason);
        }
    }

    boolean isOn() {
        return state != State.OFF;
    }

    /** Throws EAGAIN naming safe mode when it is on; called before each client mutation. */
    void refuseMutation() throws GrainException {
        State s = state;
        if (s != State.OFF) {
            throw new GrainException(StatusCode.EAGAIN, "master is in safe mode (" + (s == State.MANUAL
                    ? "entered by an operator; `grainfs safemode leave` ends it" : reason) + "); try again later");
        }
    }

    /** Timer tick: leaves startup safe mode once the chunkservers have reported enough for long enough. */
    synchronized void tick() {
        if (state != State.STARTUP) {
            return;
        }
        Status s = measure();
        reason = s.line().substring(s.line().indexOf(": ") + 2);
        long now = core.monoMs();
        if (!conditionsHold(s)) {
            conditionsMetMs = -1;
            return;
        }
        if (conditionsMetMs < 0) {
            conditionsMetMs = now;
            if (config.extensionMs() > 0) {
                log.info("safe mode: {} of {} chunks reported, {} live server(s); leaving in {} ms",
                        s.reportedChunks(), s.totalChunks(), s.liveServers(), config.extensionMs());
            }
        }
        if (now - conditionsMetMs >= config.extensionMs()) {
            state = State.OFF;
            log.info("safe mode OFF after {} ms: {} of {} chunks reported, {} live server(s)", now - enteredMs,
                    s.reportedChunks(), s.totalChunks(), s.liveServers());
        }
    }

    synchronized Status enter() {
        if (state != State.MANUAL) {
            state = State.MANUAL;
            enteredMs = core.monoMs();
            log.warn("safe mode ON: entered by an operator; mutations are refused until `grainfs safemode leave`");
        }
        return measure();
    }

    synchronized Status leave() {
        if (state != State.OFF) {
            Status s = measure();
            if (state == State.STARTUP && !conditionsHold(s)) {
                log.warn("safe mode OFF: left by an operator with only {} of {} chunks reported, {} live server(s)",
                        s.reportedChunks(), s.totalChunks(), s.liveServers());
            } else {
                log.warn("safe mode OFF: left by an operator after {} ms", core.monoMs() - enteredMs);
            }
            state = State.OFF;
        }
        return measure();
    }

    synchronized Status status() {
        return measure();
    }

    private boolean conditionsHold(Status s) {
        return s.reportedChunks() >= Math.ceil(config.threshold() * s.totalChunks())
                && s.liveServers() >= config.minServers();
    }

    /**
     * Counts the chunks that hold acknowledged bytes (they start below their file's size) and those of
     * them with a reported replica; a scan, done only while safe mode is on or someone asks. A chunk
     * allocated by a write that was never acknowledged may have no replica anywhere and is not waited for.
     */
    private Status measure() {
        long[] counts = {0, 0};
        int live;
        core.lock.readLock().lock();
        try {
            core.state.chunks().forEach((ChunkInfo c) -> {
                if (c.index() * c.file().chunkSize() < c.file().size()) {
                    counts[0]++;
                    if (c.replicas().length > 0) {
                        counts[1]++;
                    }
                }
            });
            live = core.servers.live().size();
        } finally {
            core.lock.readLock().unlock();
        }
        State st = state;
        String line = switch (st) {
            case OFF -> "Safe mode is OFF";
            case MANUAL -> "Safe mode is ON (entered by an operator)";
            case STARTUP -> "Safe mode is ON";
        } + String.format(": %d of %d chunks reported (need %s), %d live server(s) (need %d)", counts[1], counts[0],
                percent(config.threshold()), live, config.minServers());
        return new Status(st, counts[1], counts[0], live, line);
    }

    private static String percent(double f) {
        String s = String.format("%.3f", f * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }
}
