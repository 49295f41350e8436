package dev.grainfs.daemons.master.replication;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Replicas reported corrupt (by a read or the scrubber) that still sit on their server: they are out
 * of the location map, kept on disk until a good copy replaced them, then deleted. Guarded by the
 * master's lock.
 */
public final class CorruptReplicas {
    private final Map<Long, Set<Integer>> byChunk = new HashMap<>();

    public void mark(long handle, int slot) {
        byChunk.computeIfAbsent(handle, h -> new HashSet<>()).add(slot);
    }

    public boolean isCorrupt(long handle, int slot) {
        Set<Integer> s = byChunk.get(handle);
        return s != null && s.contains(slot);
    }

    /** Corrupt replicas of a chunk still on disk somewhere. */
    public int count(long handle) {
        Set<Integer> s = byChunk.get(handle);
        return s == null ? 0 : s.size();
    }

    public Set<Integer> slots(long handle) {
        Set<Integer> s = byChunk.get(handle);
        return s == null ? Set.of() : Set.copyOf(s);
    }

    public int size() {
        int n = 0;
        for (Set<Integer> s : byChunk.values()) {
            n += s.size();
        }
        return n;
    }

    /** Forgets every mark for which {@code done(handle, slot)} says so. */
    public void removeIf(BiPredicate<Long, Integer> done) {
        for (var it = byChunk.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            e.getValue().removeIf(slot -> done.test(e.getKey(), slot));
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    /** The server is gone (dead or re-registered): its replicas are no longer known. */
    public void forgetServer(int slot) {
        removeIf((h, s) -> s == slot);
    }
}
