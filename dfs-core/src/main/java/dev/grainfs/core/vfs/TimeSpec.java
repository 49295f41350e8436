package dev.grainfs.core.vfs;

/**
 * One time argument of utimensat(2): seconds and nanoseconds, where the nanoseconds may instead be
 * UTIME_NOW ("the current time") or UTIME_OMIT ("leave unchanged").
 */
public record TimeSpec(long sec, long nsec) {
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;
    public static final TimeSpec NOW = new TimeSpec(0, UTIME_NOW);
    public static final TimeSpec OMIT = new TimeSpec(0, UTIME_OMIT);

    public boolean isNow() {
        return nsec == UTIME_NOW;
    }

    public boolean isOmit() {
        return nsec == UTIME_OMIT;
    }

    /** Nanoseconds since the epoch; NOW gives {@code nowNs}, OMIT gives -1 ("unchanged"). */
    public long toNanos(long nowNs) {
        if (isOmit()) {
            return -1;
        }
        if (isNow()) {
            return nowNs;
        }
        return Math.addExact(Math.multiplyExact(sec, 1_000_000_000L), nsec);
    }
}
