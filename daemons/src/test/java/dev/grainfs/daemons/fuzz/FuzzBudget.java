package dev.grainfs.daemons.fuzz;

/**
 * How long each fuzz test runs: -Dgrainfs.fuzz.seconds=N (default 20 — CI sets 60, long runs hours)
 * and the seed: -Dgrainfs.fuzz.seed=S (default: time; printed so a failure can be replayed).
 */
final class FuzzBudget {
    private FuzzBudget() {
    }

    public static long deadlineNs() {
        return System.nanoTime() + Long.getLong("grainfs.fuzz.seconds", 20) * 1_000_000_000L;
    }

    public static long seed(String test) {
        long s = Long.getLong("grainfs.fuzz.seed", System.nanoTime());
        System.out.println(test + ": fuzz seed " + s + " (-Dgrainfs.fuzz.seed=" + s + " replays it)");
        return s;
    }
}
