package dev.grainfs.dist;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * What one client was told under its directory: every acknowledged op as a sure path, and the paths
 * an op that failed (master killed before or after applying it) may or may not have changed.
 * {@link #check} compares a listing of the cluster with it; then the unsure paths take what was seen.
 *
 * Not thread-safe: its client thread uses it, and the checker only while that thread is paused.
 */
final class AckModel {
    enum Kind { DIR, FILE, RECORDS }

    /** A path's expected content. A frozen file had a write fail: only its acknowledged prefix is known. */
    static final class Node {
        final Kind kind;
        final ByteArrayOutputStream content = new ByteArrayOutputStream();
        final List<String> records = new ArrayList<>();
        boolean frozen;

        Node(Kind kind) {
            this.kind = kind;
        }
    }

    /** A path as the cluster shows it: a directory, or a file with its bytes. */
    record Seen(boolean dir, byte[] content) {
    }

    final String root;
    final Map<String, Node> sure = new TreeMap<>();
    final Map<String, Node> maybe = new HashMap<>();
    private int names;

    AckModel(String root) {
        this.root = root;
    }

    /** A name never used before, in the root or one of the sure directories. */
    String freshPath(Random rnd, String prefix) {
        List<String> dirs = paths(Kind.DIR);
        String parent = dirs.isEmpty() || rnd.nextInt(3) == 0 ? root : dirs.get(rnd.nextInt(dirs.size()));
        return parent + "/" + prefix + (names++);
    }

    /** A name never used before, in the root. */
    String freshTopPath(String prefix) {
        return root + "/" + prefix + (names++);
    }

    List<String> paths(Kind kind) {
        List<String> out = new ArrayList<>();
        sure.forEach((p, n) -> {
            if (n.kind == kind) {
                out.add(p);
            }
        });
        return out;
    }

    boolean isEmptyDir(String path) {
        return sure.keySet().stream().noneMatch(p -> p.startsWith(path + "/"))
                && maybe.keySet().stream().noneMatch(p -> p.startsWith(path + "/"));
    }

    /** An op on these paths failed: each may now exist or not, with the node it would have. */
    void unsure(String path, Node node) {
        sure.remove(path);
        maybe.put(path, node);
    }

    /** A rename was acknowledged: the subtree moves. */
    void renamed(String src, String dst) {
        for (String p : subtree(src)) {
            sure.put(dst + p.substring(src.length()), sure.remove(p));
        }
    }

    /** A rename failed: the subtree may be under either name. */
    void renameUnsure(String src, String dst) {
        for (String p : subtree(src)) {
            Node n = sure.remove(p);
            maybe.put(p, n);
            maybe.put(dst + p.substring(src.length()), n);
        }
    }

    List<String> subtree(String top) {
        List<String> out = new ArrayList<>();
        for (String p : sure.keySet()) {
            if (p.equals(top) || p.startsWith(top + "/")) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Checks what the cluster shows under {@link #root} (paths below it, root excluded) and returns
     * the problems found; then adopts what was seen of the unsure paths.
     */
    List<String> check(Map<String, Seen> seen) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Node> e : sure.entrySet()) {
            Seen s = seen.get(e.getKey());
            if (s == null) {
                problems.add("acknowledged " + e.getValue().kind + " " + e.getKey() + " is missing");
            } else {
                compare(e.getKey(), e.getValue(), s, problems);
            }
        }
        for (Map.Entry<String, Seen> e : seen.entrySet()) {
            if (sure.containsKey(e.getKey())) {
                continue;
            }
            Node n = maybe.get(e.getKey());
            if (n == null) {
                problems.add(e.getKey() + " exists but was never asked for");
            } else {
                compare(e.getKey(), n, e.getValue(), problems);
                sure.put(e.getKey(), n);
            }
        }
        maybe.clear();
        return problems;
    }

    private static void compare(String path, Node n, Seen s, List<String> problems) {
        if (s.dir() != (n.kind == Kind.DIR)) {
            problems.add(path + " should be a " + n.kind + " but is " + (s.dir() ? "a directory" : "a file"));
            return;
        }
        if (s.content() == null) {
            return; // only the namespace was seen (a shadow master, which serves no chunk locations yet)
        }
        if (n.kind == Kind.FILE) {
            byte[] want = n.content.toByteArray();
            byte[] got = s.content();
            boolean ok = n.frozen ? got.length >= want.length && java.util.Arrays.equals(got, 0, want.length, want, 0,
                    want.length) : java.util.Arrays.equals(got, want);
            if (!ok) {
                problems.add(path + ": content differs (" + got.length + " bytes read, " + want.length
                        + (n.frozen ? " acknowledged as a prefix)" : " acknowledged)"));
            }
        } else if (n.kind == Kind.RECORDS) {
            String got = new String(s.content(), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (String r : n.records) {
                if (!got.contains(r)) {
                    problems.add(path + ": acknowledged record " + r.trim() + " is missing");
                }
            }
        }
    }
}
