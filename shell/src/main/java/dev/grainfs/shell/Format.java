package dev.grainfs.shell;

import dev.grainfs.core.client.FileStat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How commands print sizes, modes and times for people, and JSON for scripts. */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private Format() {
    }

    public static String bytes(long n) {
        String[] units = {"B", "K", "M", "G", "T", "P"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + "B" : String.format(v >= 10 ? "%.0f%s" : "%.1f%s", v, units[u]);
    }

    public static String mode(FileStat s) {
        char t = s.isDir() ? 'd' : s.isSymlink() ? 'l' : '-';
        int m = s.mode();
        StringBuilder b = new StringBuilder().append(t);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            b.append((m & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        if ((m & 04000) != 0) {
            b.setCharAt(3, (m & 0100) != 0 ? 's' : 'S');
        }
        if ((m & 02000) != 0) {
            b.setCharAt(6, (m & 010) != 0 ? 's' : 'S');
        }
        if ((m & 01000) != 0) {
            b.setCharAt(9, (m & 01) != 0 ? 't' : 'T');
        }
        return b.toString();
    }

    public static String time(long ns) {
        return TIME.format(Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L));
    }

    public static String isoTime(long ns) {
        return Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L).toString();
    }

    public static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A stat as one JSON object. */
    public static String json(String path, FileStat s) {
        return "{\"path\": " + json(path) + ", \"type\": " + json(s.type().name().toLowerCase())
                + ", \"size\": " + s.size() + ", \"mode\": " + json(String.format("%04o", s.mode()))
                + ", \"uid\": " + s.uid() + ", \"gid\": " + s.gid() + ", \"nlink\": " + s.nlink()
                + ", \"replication\": " + s.replication() + ", \"chunk_size\": " + s.chunkSize()
                + ", \"chunks\": " + s.chunkCount() + ", \"inode\": " + s.inode()
                + ", \"mtime\": " + json(isoTime(s.mtimeNs())) + ", \"atime\": " + json(isoTime(s.atimeNs()))
                + ", \"ctime\": " + json(isoTime(s.ctimeNs()))
                + (s.isSymlink() ? ", \"target\": " + json(s.symlinkTarget()) : "") + "}";
    }

    /** Parses a size with an optional suffix: 512, 64k, 64m, 1g, 1t (powers of 1024). */
    public static long parseSize(String s) {
        String t = s.trim().toLowerCase();
        if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        }
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> mult = 1L << 10;
            case 'm' -> mult = 1L << 20;
            case 'g' -> mult = 1L << 30;
            case 't' -> mult = 1L << 40;
            default -> {
            }
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t.trim());
            if (v < 0) {
                throw new IllegalArgumentException("negative size: " + s);
            }
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: '" + s + "' (try 64m, 1g)");
        }
    }

    /** Parses a duration in seconds unless suffixed: 30, 500ms, 2m, 1h. Returns milliseconds. */
    public static long parseDurationMs(String s) {
        String t = s.trim().toLowerCase();
        try {
            if (t.endsWith("ms")) {
                return Long.parseLong(t.substring(0, t.length() - 2).trim());
            }
            if (t.endsWith("s")) {
                return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
            }
            if (t.endsWith("m")) {
                return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000);
            }
            if (t.endsWith("h")) {
                return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000);
            }
            return (long) (Double.parseDouble(t) * 1000);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + s + "' (try 30, 500ms, 2m)");
        }
    }
}
