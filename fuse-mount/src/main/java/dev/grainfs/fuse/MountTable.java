package dev.grainfs.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What /proc/self/mountinfo says about a directory: is something mounted there, and of what type. */
final class MountTable {
    private MountTable() {
    }

    /** The file system type mounted exactly at {@code dir} ("fuse.grainfs"), or null when none is. */
    static String typeAt(Path dir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return null;
        }
        return typeAt(lines, dir.toAbsolutePath().normalize().toString());
    }

    /** mountinfo: "id parent maj:min root MOUNTPOINT options... - TYPE source superopts"; the last match wins. */
    static String typeAt(List<String> mountinfo, String dir) {
        String found = null;
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            int dash = line.indexOf(" - ");
            if (f.length < 5 || dash < 0) {
                continue;
            }
            if (unescape(f[4]).equals(dir)) {
                String[] tail = line.substring(dash + 3).split(" ");
                found = tail[0];
            }
        }
        return found;
    }

    /** Undoes the octal escapes of mountinfo (\040 for a space, \134 for a backslash). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
