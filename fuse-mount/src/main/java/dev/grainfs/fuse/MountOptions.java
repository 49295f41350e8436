package dev.grainfs.fuse;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.vfs.VfsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options of one mount, parsed once from a {@code -o} string (comma-separated, as mount(8)
 * takes them). Defaults are chosen for speed on a cluster; docs/mount.md explains each one.
 *
 * @param allowOther         other users may use the mount (root only, or user_allow_other in /etc/fuse.conf)
 * @param readOnly           every change fails with EROFS
 * @param bigWrites          writes reach the daemon in maxWrite pieces instead of 4 KiB pages (5x faster)
 * @param maxWrite           largest write request, at most 128 KiB (libfuse 2's buffer)
 * @param maxRead            largest read request, at most 128 KiB
 * @param attrTimeout        how long the kernel and the VFS reuse attributes
 * @param entryTimeout       how long the kernel reuses a name lookup
 * @param negativeTimeout    how long the kernel remembers that a name does not exist (0: never)
 * @param multithreaded      serve requests on several threads at once
 * @param defaultPermissions the kernel also checks mode bits itself before asking the cluster
 * @param debug              libfuse prints every request
 * @param extra              anything else, handed to libfuse as it is
 * @param metrics            where to serve the mount's Prometheus /metrics (metrics_port=[HOST:]PORT); null = off
 */
public record MountOptions(boolean allowOther, boolean readOnly, boolean bigWrites, int maxWrite, int maxRead,
                           Duration attrTimeout, Duration entryTimeout, Duration negativeTimeout,
                           boolean multithreaded, boolean defaultPermissions, boolean debug, List<String> extra,
                           HostPort metrics) {
    public static final int MAX_REQUEST = 128 << 10;

    public MountOptions {
        extra = List.copyOf(extra);
        if (maxWrite < 4096 || maxWrite > MAX_REQUEST || maxRead < 4096 || maxRead > MAX_REQUEST) {
            throw new IllegalArgumentException("max_write and max_read must be 4k..128k (libfuse 2 serves at most 128 KiB a request)");
        }
    }

    public static MountOptions defaults() {
        return new MountOptions(false, false, true, MAX_REQUEST, MAX_REQUEST, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ZERO, true, true, false, List.of(), null);
    }

    /** Parses "allow_other,ro,max_write=128k,attr_timeout=2s,..."; null or "" gives the defaults. */
    public static MountOptions parse(String o) {
        MountOptions m = defaults();
        if (o == null || o.isBlank()) {
            return m;
        }
        boolean allowOther = m.allowOther, ro = m.readOnly, big = m.bigWrites, mt = m.multithreaded;
        boolean dp = m.defaultPermissions, debug = m.debug;
        int maxWrite = m.maxWrite, maxRead = m.maxRead;
        Duration attr = m.attrTimeout, entry = m.entryTimeout, negative = m.negativeTimeout;
        HostPort metrics = m.metrics;
        List<String> extra = new ArrayList<>();
        for (String raw : o.split(",")) {
            String opt = raw.trim();
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            String val = eq < 0 ? "" : opt.substring(eq + 1);
            switch (key) {
                case "" -> { }
                case "allow_other" -> allowOther = true;
                case "ro" -> ro = true;
                case "rw" -> ro = false;
                case "big_writes" -> big = true;
                case "no_big_writes" -> big = false;
                case "max_write" -> maxWrite = (int) size(key, val);
                case "max_read" -> maxRead = (int) size(key, val);
                case "attr_timeout" -> attr = duration(key, val);
                case "entry_timeout" -> entry = duration(key, val);
                case "negative_timeout" -> negative = duration(key, val);
                case "multithreaded" -> mt = true;
                case "single_threaded" -> mt = false;
                case "default_permissions" -> dp = true;
                case "no_default_permissions" -> dp = false;
                case "debug" -> debug = true;
                case "metrics_port" -> metrics = metricsAddress(val);
                default -> extra.add(opt);
            }
        }
        return new MountOptions(allowOther, ro, big, maxWrite, maxRead, attr, entry, negative, mt, dp, debug, extra,
                metrics);
    }

    /** These options with /metrics served at {@code at} (null: off). */
    public MountOptions withMetrics(HostPort at) {
        return new MountOptions(allowOther, readOnly, bigWrites, maxWrite, maxRead, attrTimeout, entryTimeout,
                negativeTimeout, multithreaded, defaultPermissions, debug, extra, at);
    }

    /** "9102" (every interface), "127.0.0.1:9102", or "0" (any free port). */
    public static HostPort metricsAddress(String v) {
        String s = v.trim();
        try {
            return s.indexOf(':') < 0 ? new HostPort("0.0.0.0", Integer.parseInt(s)) : HostPort.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metrics_port=" + v + ": expected PORT or HOST:PORT (e.g. 9102)");
        }
    }

    public VfsConfig vfsConfig() {
        return new VfsConfig(attrTimeout, readOnly);
    }

    /** The libfuse command line after the mount point: -o ..., and -s / -d when asked for. */
    public List<String> fuseArgs(String fsName) {
        List<String> o = new ArrayList<>(List.of("fsname=" + fsName, "subtype=grainfs", "use_ino", "atomic_o_trunc",
                "noatime", "max_write=" + maxWrite, "max_read=" + maxRead, "attr_timeout=" + seconds(attrTimeout),
                "entry_timeout=" + seconds(entryTimeout), "negative_timeout=" + seconds(negativeTimeout)));
        if (bigWrites) {
            o.add("big_writes");
        }
        if (defaultPermissions) {
            o.add("default_permissions");
        }
        if (allowOther) {
            o.add("allow_other");
        }
        if (readOnly) {
            o.add("ro");
        }
        o.addAll(extra);
        List<String> args = new ArrayList<>(List.of("-o", String.join(",", o)));
        if (!multithreaded) {
            args.add("-s");
        }
        if (debug) {
            args.add("-d");
        }
        return args;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    /** 131072, 128k, 1m. */
    static long size(String key, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        if (s.endsWith("k")) {
            mul = 1 << 10;
        } else if (s.endsWith("m")) {
            mul = 1 << 20;
        } else if (s.endsWith("g")) {
            mul = 1 << 30;
        }
        try {
            return Long.parseLong(mul == 1 ? s : s.substring(0, s.length() - 1)) * mul;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": not a size (e.g. 131072, 128k)");
        }
    }

    /** Seconds unless suffixed: 1, 0.5, 500ms, 2s, 1m. */
    static Duration duration(String key, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
            }
            double sec = Double.parseDouble(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
            if (sec < 0 || Double.isNaN(sec)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (sec * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": not a duration (e.g. 1, 0.5, 500ms, 2s)");
        }
    }
}
