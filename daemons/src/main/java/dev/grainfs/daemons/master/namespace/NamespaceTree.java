package dev.grainfs.daemons.master.namespace;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The directory tree and the inode-id index. Lookups follow symlinks (at most 40 hops); every
 * mutation checks everything first and changes nothing when it throws. Not thread-safe: the master
 * calls it under its namespace lock.
 */
public final class NamespaceTree {
    public static final long ROOT_ID = 1;
    private static final int MAX_SYMLINK_HOPS = 40;

    private final DirInode root;
    private final InodeTable inodes = new InodeTable();
    private long files;
    private long dirs = 1;

    public NamespaceTree(long nowNs) {
        root = new DirInode(ROOT_ID, new byte[0], 0755, 0, 0, nowNs);
        inodes.put(root);
    }

    /** A path cut into its parent directory and final name. */
    public record Parent(DirInode dir, byte[] name, Inode existing) {
        public String nameString() {
            return new String(name, StandardCharsets.UTF_8);
        }
    }

    public DirInode root() {
        return root;
    }

    public Inode byId(long id) {
        return inodes.get(id);
    }

    public long fileCount() {
        return files;
    }

    public long dirCount() {
        return dirs;
    }

    public int inodeCount() {
        return inodes.size();
    }

    /** Resolves a path; {@code onDir} sees every directory searched on the way (for permission checks). */
    public Inode resolve(String path, boolean followLast, Consumer<DirInode> onDir) throws GrainException {
        return walk(path, Paths.split(path), followLast, onDir, new int[1]);
    }

    public Inode resolve(String path, boolean followLast) throws GrainException {
        return resolve(path, followLast, d -> { });
    }

    /** Resolves the directory that holds the last component of {@code path}. */
    public Parent resolveParent(String path, Consumer<DirInode> onDir) throws GrainException {
        List<byte[]> comps = Paths.split(path);
        if (comps.isEmpty()) {
            throw GrainException.of(StatusCode.EINVAL, "%s: the root has no parent", path);
        }
        byte[] name = comps.get(comps.size() - 1);
        String parentPath = parentOf(path);
        Inode p = walk(parentPath, comps.subList(0, comps.size() - 1), true, onDir, new int[1]);
        if (!(p instanceof DirInode d)) {
            throw GrainException.of(StatusCode.ENOTDIR, "%s: not a directory", parentPath);
        }
        onDir.accept(d);
        return new Parent(d, name, d.child(name));
    }

    public Parent resolveParent(String path) throws GrainException {
        return resolveParent(path, d -> { });
    }

    private Inode walk(String path, List<byte[]> comps, boolean followLast, Consumer<DirInode> onDir, int[] hops)
            throws GrainException {
        Inode cur = root;
        for (int i = 0; i < comps.size(); i++) {
            if (!(cur instanceof DirInode d)) {
                throw GrainException.of(StatusCode.ENOTDIR, "%s: not a directory", path);
            }
            onDir.accept(d);
            Inode next = d.child(comps.get(i));
            if (next == null) {
                throw GrainException.of(StatusCode.ENOENT, "%s: no such file or directory", path);
            }
            boolean last = i == comps.size() - 1;
            if (next instanceof SymlinkInode link && (!last || followLast)) {
                if (++hops[0] > MAX_SYMLINK_HOPS) {
                    throw GrainException.of(StatusCode.ELOOP, "%s: too many levels of symbolic links", path);
                }
                String target = link.target();
                StringBuilder sb = new StringBuilder(target.startsWith("/") ? target : d.path() + "/" + target);
                for (int j = i + 1; j < comps.size(); j++) {
                    sb.append('/').append(new String(comps.get(j), StandardCharsets.UTF_8));
                }
                String resolved = normalize(sb.toString());
                return walk(resolved, Paths.split(resolved), followLast, onDir, hops);
            }
            cur = next;
        }
        return cur;
    }

    /** Checkpoint loading: makes room for {@code n} inodes. */
    void reserve(long n) {
        inodes.reserve((int) Math.min(n, 1 << 30));
    }

    /** Checkpoint loading: attaches an inode under an already restored parent. */
    void restore(long parentId, Inode child) throws java.io.IOException {
        Inode p = inodes.get(parentId);
        if (!(p instanceof DirInode d)) {
            throw new java.io.IOException("checkpoint: inode " + child.id + " has no directory parent " + parentId);
        }
        d.add(child);
        inodes.put(child);
        if (child instanceof DirInode) {
            dirs++;
        } else {
            files++;
        }
    }

    // ------------------------------------------------------------------ mutations (called by apply)

    public DirInode mkdir(String path, long id, int mode, int uid, int gid, long nowNs) throws GrainException {
        Parent p = freshName(path);
        DirInode d = new DirInode(id, p.name(), mode, uid, gid, nowNs);
        link(p.dir(), d, nowNs);
        dirs++;
        return d;
    }

    public FileInode createFile(String path, long id, int mode, int uid, int gid, long nowNs, int replication,
                                long chunkSize) throws GrainException {
        Parent p = freshName(path);
        FileInode f = new FileInode(id, p.name(), mode, uid, gid, nowNs, replication, chunkSize);
        link(p.dir(), f, nowNs);
        files++;
        return f;
    }

    public SymlinkInode symlink(String path, long id, String target, int uid, int gid, long nowNs)
            throws GrainException {
        Parent p = freshName(path);
        SymlinkInode s = new SymlinkInode(id, p.name(), uid, gid, nowNs, target);
        link(p.dir(), s, nowNs);
        files++;
        return s;
    }

    /** Unlinks {@code path} (a whole subtree for a directory); returns every inode removed. */
    public List<Inode> remove(String path, long nowNs) throws GrainException {
        Parent p = resolveParent(path);
        if (p.existing() == null) {
            throw GrainException.of(StatusCode.ENOENT, "%s: no such file or directory", path);
        }
        List<Inode> removed = subtree(p.existing());
        unlink(p.dir(), p.existing(), nowNs);
        for (Inode i : removed) {
            forget(i);
        }
        return removed;
    }

    /**
     * Renames with POSIX replace rules. Returns the inodes of a replaced destination (to free), or none.
     */
    public List<Inode> rename(String src, String dst, long nowNs) throws GrainException {
        Parent from = resolveParent(src);
        Inode moving = from.existing();
        if (moving == null) {
            throw GrainException.of(StatusCode.ENOENT, "%s: no such file or directory", src);
        }
        Parent to = resolveParent(dst);
        Inode victim = to.existing();
        if (victim == moving) {
            return List.of();
        }
        if (moving instanceof DirInode) {
            for (Inode a = to.dir(); a != null; a = a.parent) {
                if (a == moving) {
                    throw GrainException.of(StatusCode.EINVAL, "cannot move %s into itself (%s)", src, dst);
                }
            }
        }
        if (victim != null) {
            if (victim instanceof DirInode vd) {
                if (!(moving instanceof DirInode)) {
                    throw GrainException.of(StatusCode.EISDIR, "%s: is a directory", dst);
                }
                if (vd.childCount() > 0) {
                    throw GrainException.of(StatusCode.ENOTEMPTY, "%s: directory not empty", dst);
                }
            } else if (moving instanceof DirInode) {
                throw GrainException.of(StatusCode.ENOTDIR, "%s: not a directory", dst);
            }
        }
        List<Inode> replaced = List.of();
        if (victim != null) {
            replaced = subtree(victim);
            unlink(to.dir(), victim, nowNs);
            for (Inode i : replaced) {
                forget(i);
            }
        }
        unlink(from.dir(), moving, nowNs);
        moving.name = to.name();
        link(to.dir(), moving, nowNs);
        moving.ctimeNs = nowNs;
        return replaced;
    }

    private Parent freshName(String path) throws GrainException {
        Parent p = resolveParent(path);
        if (p.existing() != null) {
            throw GrainException.of(StatusCode.EEXIST, "%s: file exists", path);
        }
        return p;
    }

    private void link(DirInode dir, Inode child, long nowNs) {
        dir.add(child);
        dir.mtimeNs = nowNs;
        dir.ctimeNs = nowNs;
        if (inodes.get(child.id) == null) {
            inodes.put(child);
        }
    }

    private void unlink(DirInode dir, Inode child, long nowNs) {
        dir.remove(child);
        dir.mtimeNs = nowNs;
        dir.ctimeNs = nowNs;
    }

    private void forget(Inode i) {
        inodes.remove(i);
        if (i instanceof DirInode) {
            dirs--;
        } else {
            files--;
        }
    }

    /** The inode and everything below it, children before parents. */
    public static List<Inode> subtree(Inode top) {
        List<Inode> out = new ArrayList<>();
        Deque<Inode> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            Inode i = stack.pop();
            out.add(i);
            if (i instanceof DirInode d) {
                for (Inode c : d.list(null, Integer.MAX_VALUE)) {
                    stack.push(c);
                }
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    static String parentOf(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    /** Lexically removes ".", ".." and empty components (used for symlink targets only). */
    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(c);
            }
        }
        return "/" + String.join("/", parts);
    }
}
