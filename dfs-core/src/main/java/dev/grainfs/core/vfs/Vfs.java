package dev.grainfs.core.vfs;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.DirEntry;
import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.client.FsStats;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.StatusCode;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSIX file system calls on a GrainFS cluster, by path and caller, the way a FUSE adapter makes
 * them: one method per call, each throwing a {@link GrainException} whose errno the kernel should
 * see. Permission checks are the master's (every namespace call carries the caller); the two calls
 * the master never sees, open and access, are checked here from stat and the caller.
 *
 * Open files: every handle on one inode shares one {@link GrainFile}, opened with the mount's own
 * identity once the open was allowed (POSIX checks permission at open, not at each write) when
 * the master lets the mount act as root; on a root-squashed host (or a mount run by a user) it
 * is opened as the first opener instead, so the mount gets exactly what its users may. A
 * handle's writes are buffered in it; flush (every close) puts them on all replicas and tells the
 * master the size, so another client that opens the file afterwards sees every byte.
 *
 * What the caches and write buffers do is told to a {@link VfsObserver} (the mount's metrics).
 *
 * Thread-safe: the kernel calls from many threads at once.
 */
public final class Vfs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Vfs.class);

    private final GrainClient client;
    private final VfsConfig config;
    private final Caller self;
    private final AttrCache attrs;
    private final HandleTable<OpenFile> files = new HandleTable<>();
    private final StatAhead statAhead;
    /** Whether the master lets {@link #self} act as root; null until asked (see {@link #ioCaller}). */
    private volatile Boolean selfActsAsRoot;
    private final VfsObserver observer;

    public Vfs(GrainClient client, VfsConfig config) {
        this(client, config, VfsObserver.NONE);
    }

    public Vfs(GrainClient client, VfsConfig config, VfsObserver observer) {
        this.client = client;
        this.config = config;
        this.observer = observer;
        this.self = client.config().caller();
        this.attrs = new AttrCache(config.attrTtl().toNanos());
        this.statAhead = new StatAhead(config.attrTtl().toNanos(), System::nanoTime);
    }

    public VfsConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- attributes and names

    /** lstat: a symlink's own attributes; an open file shows what this mount wrote to it. */
    public FileStat getattr(Caller c, String path) throws GrainException {
        FileStat st = attrs.get(path);
        observer.attrLookup(st != null);
        if (st == null) {
            st = client.lstat(c, path);
            attrs.put(path, st);
            String dir = VfsPaths.parent(path);
            if (statAhead.missed(dir)) {
                observer.statAhead();
                listQuietly(c, dir);
            }
        }
        return overlay(st);
    }

    /** A stat burst in one directory: one listing brings the attributes of all its names. */
    private void listQuietly(Caller c, String dir) {
        try {
            statAhead.listed(dir, readdir(c, dir).size());
        } catch (GrainException e) {
            log.debug("{}: listing ahead of stat failed: {}", dir, e.getMessage()); // the stats go one by one
        }
    }

    /** fstat of an open file (no permission is needed to stat what one holds open). */
    public FileStat fgetattr(long fh) throws GrainException {
        OpenFile of = handle(fh);
        FileStat st = attrs.get(of.path());
        observer.attrLookup(st != null && st.inode() == of.inode());
        if (st == null || st.inode() != of.inode()) {
            st = client.lstat(of.io(), of.path());
            attrs.put(of.path(), st);
        }
        return of.overlay(st);
    }

    private FileStat overlay(FileStat st) {
        OpenFile of = st.isFile() ? files.shared(st.inode()) : null;
        return of == null ? st : of.overlay(st);
    }

    /** Every entry of a directory with its attributes (which also warm the cache for the lstat calls of ls -l). */
    public List<DirEntry> readdir(Caller c, String path) throws GrainException {
        List<DirEntry> entries = client.list(c, path);
        for (DirEntry e : entries) {
            attrs.put(VfsPaths.child(path, e.name()), e.stat());
        }
        return entries;
    }

    public FileStat mkdir(Caller c, String path, int mode) throws GrainException {
        checkWritable();
        int perm = mode & 07777;
        FileStat st = client.mkdir(c, path, perm, false);
        attrs.invalidate(VfsPaths.parent(path));
        if (st.mode() != perm) { // the master reads mode 0 as "default"
            st = client.chmod(c, path, perm);
        }
        attrs.put(path, st);
        return st;
    }

    public void rmdir(Caller c, String path) throws GrainException {
        checkWritable();
        try {
            client.delete(c, path, false, true, false);
        } finally {
            attrs.invalidateWithParent(path);
        }
    }

    public void unlink(Caller c, String path) throws GrainException {
        checkWritable();
        try {
            client.delete(c, path, false, false, true);
        } finally {
            attrs.invalidateWithParent(path);
        }
    }

    /** Atomic rename with POSIX replace rules (the master's); noReplace is RENAME_NOREPLACE. */
    public void rename(Caller c, String src, String dst, boolean noReplace) throws GrainException {
        checkWritable();
        FileStat moving = attrs.get(src);
        try {
            client.rename(c, src, dst, noReplace);
        } finally {
            if (moving == null || moving.isDir()) {
                attrs.invalidateTree(src);
            } else {
                attrs.invalidate(src);
            }
            attrs.invalidateWithParent(dst);
            attrs.invalidate(VfsPaths.parent(src));
        }
        for (OpenFile of : files.values()) {
            if (VfsPaths.isWithin(of.path(), src)) {
                flushed(of.dirty(), VfsObserver.FlushCause.RENAME);
                of.movedTo(VfsPaths.moved(of.path(), src, dst), p -> client.open(of.io(), p, true));
            }
        }
    }

    public FileStat symlink(Caller c, String target, String linkPath) throws GrainException {
        checkWritable();
        FileStat st = client.symlink(c, target, linkPath);
        attrs.invalidate(VfsPaths.parent(linkPath));
        attrs.put(linkPath, st);
        return st;
    }

    public String readlink(Caller c, String path) throws GrainException {
        FileStat st = attrs.get(path);
        if (st != null && st.isSymlink()) {
            return st.symlinkTarget();
        }
        return client.readlink(c, path);
    }

    public FileStat chmod(Caller c, String path, int mode) throws GrainException {
        checkWritable();
        flushOpen(path);
        return remember(path, () -> client.chmod(c, path, mode & 07777));
    }

    /** chown; -1 leaves the owner or the group as it is. The kernel never passes a path to follow. */
    public FileStat chown(Caller c, String path, int uid, int gid) throws GrainException {
        checkWritable();
        flushOpen(path);
        return remember(path, () -> client.lchown(c, path, uid, gid));
    }

    /**
     * utimensat. Buffered writes are flushed first, so the size commit at close does not overwrite
     * the times set here (cp -p and tar set times before they close).
     */
    public FileStat utimens(Caller c, String path, TimeSpec atime, TimeSpec mtime) throws GrainException {
        checkWritable();
        if (atime.isOmit() && mtime.isOmit()) {
            return getattr(c, path);
        }
        flushOpen(path);
        if (atime.isNow() && mtime.isNow()) {
            return remember(path, () -> client.lutimes(c, path, -2, -2)); // write permission suffices
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        return remember(path, () -> client.lutimes(c, path, atime.toNanos(now), mtime.toNanos(now)));
    }

    public void truncate(Caller c, String path, long size) throws GrainException {
        checkWritable();
        FileStat st = getattr(c, path);
        OpenFile of = st.isFile() ? files.shared(st.inode()) : null;
        try {
            if (of == null) {
                client.truncate(c, path, size);
            } else {
                require(Access.allowed(st, c, Access.W_OK), StatusCode.EACCES, path);
                of.truncate(size); // through the open file, so its buffers and caches stay true
            }
        } finally {
            attrs.invalidate(path);
        }
    }

    public FsStats statfs() throws GrainException {
        return client.statfs();
    }

    /** access(2): F_OK or any of R_OK, W_OK, X_OK, from the file's mode bits and the caller. */
    public void access(Caller c, String path, int mask) throws GrainException {
        FileStat st = getattr(c, path);
        if ((mask & Access.W_OK) != 0 && config.readOnly()) {
            throw GrainException.of(StatusCode.EROFS, "%s: read-only file system", path);
        }
        require(Access.allowed(st, c, mask), StatusCode.EACCES, path);
    }

    // ---------------------------------------------------------------- open files

    /** Creates (or, without O_EXCL, opens) a regular file and returns its handle. */
    public long create(Caller c, String path, int mode, int flags) throws GrainException {
        checkWritable();
        OpenFlags f = OpenFlags.of(flags);
        int perm = mode & 07777;
        boolean asRoot = mountActsAsRoot();
        Caller io = asRoot ? self : c;
        // a mount that is not root writes as the caller, so it needs owner-write until the last close
        boolean deferMode = !asRoot && (perm & 0200) == 0;
        CreateOptions o = CreateOptions.defaults().withMode(deferMode ? perm | 0200 : perm)
                .exclusive(f.exclusive()).truncate(f.truncate());
        GrainFile g = client.create(c, path, o);
        attrs.invalidate(VfsPaths.parent(path));
        FileStat st = g.openedStat();
        if (perm == 0 && !deferMode && st.mode() != 0) {
            st = client.chmod(c, path, 0); // the master reads mode 0 as "default"
        }
        if (asRoot && !c.equals(self)) {
            g.close();
            g = client.open(io, path, true);
        }
        attrs.put(path, st); // libfuse asks for the attributes right after create
        HandleTable.Added<OpenFile> a = adopt(g, path, io);
        if (f.truncate() && !a.candidateKept()) {
            a.value().truncate(0); // already open here: cut through the open file so its caches agree
        }
        if (deferMode) {
            a.value().setModeOnClose(perm);
        }
        return a.fh();
    }

    public long open(Caller c, String path, int flags) throws GrainException {
        OpenFlags f = OpenFlags.of(flags);
        if (f.write() || f.truncate()) {
            checkWritable();
        }
        FileStat st = getattr(c, path);
        require(!st.isDir() || !f.write(), StatusCode.EISDIR, path);
        require(Access.allowed(st, c, f.accessMask()), StatusCode.EACCES, path);
        Long fh = files.share(st.inode());
        if (fh == null) {
            Caller io = ioCaller(c);
            GrainFile g = client.open(io, path, true);
            if (g.inode() != st.inode()) { // replaced since it was cached: check the file that opened
                attrs.invalidate(path);
                FileStat fresh = client.lstat(c, path);
                attrs.put(path, fresh);
                if (!Access.allowed(fresh, c, f.accessMask())) {
                    g.close();
                    require(false, StatusCode.EACCES, path);
                }
            }
            attrs.put(path, g.openedStat()); // fresh at every first open: close-to-open
            fh = adopt(g, path, io).fh();
        }
        if (f.truncate()) {
            handle(fh).truncate(0);
            attrs.invalidate(path);
        }
        return fh;
    }

    /** Reads at offset; returns the count, 0 at the end of the file. Holes read as zeros. */
    public int read(long fh, long offset, ByteBuffer dst) throws GrainException {
        return Math.max(0, handle(fh).read(offset, dst));
    }

    /** Buffers a write; errors of the transfer surface at flush, fsync or close. */
    public void write(long fh, long offset, ByteBuffer src) throws GrainException {
        handle(fh).write(offset, src);
    }

    /** close(2) of one descriptor: the data is on every replica and the master has the size. */
    public void flush(long fh) throws GrainException {
        OpenFile of = handle(fh);
        if (flushed(of.flush(), VfsObserver.FlushCause.CLOSE)) {
            attrs.invalidate(of.path());
        }
    }

    /** flush, and the replicas forced the data to their disks. */
    public void fsync(long fh) throws GrainException {
        OpenFile of = handle(fh);
        if (flushed(of.fsync(), VfsObserver.FlushCause.FSYNC)) {
            attrs.invalidate(of.path());
        }
    }

    public void ftruncate(long fh, long size) throws GrainException {
        checkWritable();
        OpenFile of = handle(fh);
        try {
            of.truncate(size);
        } finally {
            attrs.invalidate(of.path());
        }
    }

    /** The last close of a handle; the file closes when no handle holds it any more. */
    public void release(long fh) throws GrainException {
        OpenFile of = files.release(fh);
        if (of == null) {
            return;
        }
        boolean dirty = flushed(of.dirty(), VfsObserver.FlushCause.RELEASE);
        try {
            of.close();
        } finally {
            if (dirty) {
                attrs.invalidate(of.path());
            }
        }
        if (of.modeOnClose() >= 0) {
            remember(of.path(), () -> client.chmod(of.io(), of.path(), of.modeOnClose()));
        }
    }

    /** Number of open handles (for tests and status). */
    public int openHandles() {
        return files.handleCount();
    }

    /** Number of open files (inodes; several handles may share one). */
    public int openFiles() {
        return files.fileCount();
    }

    /** Flushes and closes every file still open (the mount is going away). */
    @Override
    public void close() {
        for (OpenFile of : files.clear()) {
            try {
                flushed(of.dirty(), VfsObserver.FlushCause.UNMOUNT);
                of.close();
            } catch (GrainException | RuntimeException e) {
                log.warn("{}: data written to it may be lost: {}", of.path(), e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Tells the observer about a flush of buffered writes when there were any; returns {@code dirty}. */
    private boolean flushed(boolean dirty, VfsObserver.FlushCause cause) {
        if (dirty) {
            observer.flushed(cause);
        }
        return dirty;
    }

    /**
     * Who an open file's I/O runs as: the mount itself when the master lets it act as root (asked
     * once; a mount run by a user never does), else the opener, so root squashing holds on the data
     * path too.
     */
    private Caller ioCaller(Caller opener) {
        return mountActsAsRoot() ? self : opener;
    }

    private boolean mountActsAsRoot() {
        Boolean asRoot = selfActsAsRoot;
        if (asRoot == null) {
            try {
                asRoot = self.getUid() == 0 && client.actsAsRoot(self);
            } catch (GrainException e) {
                return false; // master unreachable: ask again at the next open
            }
            selfActsAsRoot = asRoot;
            if (!asRoot && self.getUid() == 0) {
                log.info("the master squashes this host's root: files are read and written as their openers");
            }
        }
        return asRoot;
    }

    private HandleTable.Added<OpenFile> adopt(GrainFile g, String path, Caller io) throws GrainException {
        HandleTable.Added<OpenFile> a = files.add(g.inode(), new OpenFile(g, path, io, observer));
        if (!a.candidateKept()) {
            g.close(); // another open of the same inode won the race
        }
        return a;
    }

    private OpenFile handle(long fh) throws GrainException {
        OpenFile of = files.get(fh);
        if (of == null) {
            throw GrainException.of(StatusCode.EIO, "file handle %d is not open", fh);
        }
        return of;
    }

    /** Flushes buffered writes of {@code path} before its attributes change. */
    private void flushOpen(String path) throws GrainException {
        for (OpenFile of : files.values()) {
            if (of.dirty() && of.path().equals(path)) {
                flushed(of.flush(), VfsObserver.FlushCause.SETATTR);
            }
        }
    }

    private interface StatCall {
        FileStat call() throws GrainException;
    }

    /** Runs a call that answers with the new attributes and caches them (or forgets the path on failure). */
    private FileStat remember(String path, StatCall call) throws GrainException {
        try {
            FileStat st = call.call();
            attrs.put(path, st);
            return overlay(st);
        } catch (GrainException e) {
            attrs.invalidate(path);
            throw e;
        }
    }

    private void checkWritable() throws GrainException {
        if (config.readOnly()) {
            throw GrainException.of(StatusCode.EROFS, "read-only file system");
        }
    }

    private static void require(boolean ok, StatusCode status, String path) throws GrainException {
        if (!ok) {
            throw GrainException.of(status, "%s: %s", path, dev.grainfs.core.Errno.describe(status));
        }
    }
}
