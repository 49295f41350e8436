package dev.grainfs.daemons.master.placement;

import dev.grainfs.daemons.master.server.ServerInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Chooses the servers for new replicas: live servers with room, the less loaded and emptier of two
 * random candidates each time (power of two choices), and a second rack as soon as two exist
 * (HDFS's rule: first replica anywhere, the next ones off its rack). Decommissioning servers take none.
 */
public final class ReplicaPlacement {
    /** Minimum free bytes for a server to take a new chunk. */
    private final long reserveBytes;
    /** The source of the two random candidates; null = the calling thread's ThreadLocalRandom. */
    private final RandomGenerator random;

    public ReplicaPlacement(long reserveBytes) {
        this(reserveBytes, null);
    }

    /**
     * Placement drawing its candidates from {@code random}: a seeded generator makes the choices
     * repeatable (the JSON-lines node uses this). Not thread-safe unless {@code random} is.
     */
    public ReplicaPlacement(long reserveBytes, RandomGenerator random) {
        this.reserveBytes = reserveBytes;
        this.random = random;
    }

    /**
     * Picks up to {@code n} servers from {@code live}, none of {@code exclude}, spreading over racks
     * of the {@code existing} replicas. Returns fewer when fewer qualify.
     */
    public List<ServerInfo> choose(int n, Collection<ServerInfo> live, Set<Integer> exclude, Collection<ServerInfo> existing) {
        List<ServerInfo> pool = new ArrayList<>();
        long now = System.nanoTime() / 1_000_000L;
        for (ServerInfo s : live) {
            if (s.countsAsReplica() && !s.isSuspect(now) && !exclude.contains(s.slot()) && s.free() >= reserveBytes && !existing.contains(s)) {
                pool.add(s);
            }
        }
        List<ServerInfo> chosen = new ArrayList<>();
        Set<String> racks = new HashSet<>();
        for (ServerInfo e : existing) {
            racks.add(e.rack());
        }
        while (chosen.size() < n && !pool.isEmpty()) {
            List<ServerInfo> candidates = pool;
            if (!racks.isEmpty()) {
                List<ServerInfo> offRack = new ArrayList<>();
                for (ServerInfo s : pool) {
                    if (!racks.contains(s.rack())) {
                        offRack.add(s);
                    }
                }
                if (!offRack.isEmpty() && racks.size() < 2) {
                    candidates = offRack;
                }
            }
            ServerInfo pick = twoChoices(candidates);
            chosen.add(pick);
            racks.add(pick.rack());
            pool.remove(pick);
        }
        return chosen;
    }

    private ServerInfo twoChoices(List<ServerInfo> c) {
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        ServerInfo a = c.get(r.nextInt(c.size()));
        ServerInfo b = c.get(r.nextInt(c.size()));
        return score(a) <= score(b) ? a : b;
    }

    /** Lower is better: busy servers and full disks are avoided. */
    private static double score(ServerInfo s) {
        double fill = s.capacity() == 0 ? 1.0 : (double) s.used() / s.capacity();
        return fill + 0.05 * s.activeTransfers();
    }
}
