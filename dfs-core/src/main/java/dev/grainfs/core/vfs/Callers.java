package dev.grainfs.core.vfs;

import dev.grainfs.core.wire.proto.Caller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Builds the identity sent with a request from what the kernel says about the calling thread
 * (uid, gid, pid). FUSE does not pass supplementary groups, so they are read from
 * /proc/PID/status and kept for a second per pid (a process rarely changes its groups). Thread-safe.
 */
public final class Callers {
    private static final long GROUPS_TTL_NS = 1_000_000_000L;
    private static final int MAX_ENTRIES = 4096;

    private record Groups(List<Integer> gids, long expiresNs) {
    }

    private final ConcurrentHashMap<Integer, Groups> byPid = new ConcurrentHashMap<>();
    private final IntFunction<String> procStatus;
    private final LongSupplier clock;

    public Callers(IntFunction<String> procStatus, LongSupplier nanoClock) {
        this.procStatus = procStatus;
        this.clock = nanoClock;
    }

    /** Reads the real /proc. */
    public Callers() {
        this(Callers::readProcStatus, System::nanoTime);
    }

    public Caller of(int uid, int gid, int pid) {
        Caller.Builder b = Caller.newBuilder().setUid(uid).setGid(gid);
        if (uid != 0 && pid > 0) {  // root passes every check: its groups never matter
            b.addAllGroups(groups(pid));
        }
        return b.build();
    }

    private List<Integer> groups(int pid) {
        long now = clock.getAsLong();
        Groups g = byPid.get(pid);
        if (g == null || now - g.expiresNs >= 0) {
            if (byPid.size() > MAX_ENTRIES) {
                byPid.clear();
            }
            g = new Groups(parseGroups(procStatus.apply(pid)), now + GROUPS_TTL_NS);
            byPid.put(pid, g);
        }
        return g.gids;
    }

    /** The "Groups:" line of a /proc/PID/status text; empty when absent. */
    static List<Integer> parseGroups(String status) {
        List<Integer> out = new ArrayList<>();
        if (status == null) {
            return out;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith("Groups:")) {
                for (String tok : line.substring(7).trim().split("\\s+")) {
                    if (!tok.isEmpty()) {
                        out.add(Integer.parseUnsignedInt(tok));
                    }
                }
                break;
            }
        }
        return out;
    }

    private static String readProcStatus(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "status"));
        } catch (IOException | RuntimeException e) {
            return null; // the process is gone: no supplementary groups
        }
    }
}
