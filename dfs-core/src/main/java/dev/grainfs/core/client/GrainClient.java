package dev.grainfs.core.client;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.proto.Attr;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.CreateRequest;
import dev.grainfs.core.wire.proto.DeleteRequest;
import dev.grainfs.core.wire.proto.FileType;
import dev.grainfs.core.wire.proto.ListRequest;
import dev.grainfs.core.wire.proto.ListResponse;
import dev.grainfs.core.wire.proto.MkdirRequest;
import dev.grainfs.core.wire.proto.ReadlinkRequest;
import dev.grainfs.core.wire.proto.RenameRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.SetAttrRequest;
import dev.grainfs.core.wire.proto.StatFsRequest;
import dev.grainfs.core.wire.proto.StatFsResponse;
import dev.grainfs.core.wire.proto.StatRequest;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.core.wire.proto.SymlinkRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The GrainFS client API that the FUSE mount, the shell and the file commands all use. Paths are
 * absolute; every failure is a {@link GrainException} with a status that maps to an errno.
 * Thread-safe; one per process is enough. Calls may pass a caller identity (the FUSE context's
 * uid/gid); without one, the configured caller is used.
 */
public final class GrainClient implements AutoCloseable {
    private final ClientContext ctx;

    private GrainClient(ClientConfig config, WireSecurity security) {
        RpcClient rpc = new RpcClient("grainfs", Math.max(2, Runtime.getRuntime().availableProcessors()), security);
        this.ctx = new ClientContext(config, rpc, new MasterClient(rpc, config));
    }

    public static GrainClient connect(ClientConfig config) {
        return new GrainClient(config, WireSecurity.NONE);
    }

    /** A client that proves the cluster key (and speaks TLS) as {@code security} says. */
    public static GrainClient connect(ClientConfig config, WireSecurity security) {
        return new GrainClient(config, security);
    }

    public static GrainClient connect(HostPort master) {
        return new GrainClient(ClientConfig.of(master), WireSecurity.NONE);
    }

    public ClientConfig config() {
        return ctx.config();
    }

    public HostPort master() {
        return ctx.master().master();
    }

    private Attr attr(Caller c, Request.Builder r) throws GrainException {
        return ctx.master().call(c, r).getAttr();
    }

    private Caller me() {
        return ctx.config().caller();
    }

    // ---------------------------------------------------------------- namespace

    public FileStat stat(String path) throws GrainException {
        return stat(me(), path);
    }

    public FileStat stat(Caller c, String path) throws GrainException {
        return FileStat.of(attr(c, Request.newBuilder().setStat(StatRequest.newBuilder().setPath(path))));
    }

    /** stat without following a final symlink. */
    public FileStat lstat(Caller c, String path) throws GrainException {
        return FileStat.of(attr(c, Request.newBuilder().setStat(StatRequest.newBuilder().setPath(path).setNoFollow(true))));
    }

    public FileStat lstat(String path) throws GrainException {
        return lstat(me(), path);
    }

    public boolean exists(String path) throws GrainException {
        try {
            lstat(path);
            return true;
        } catch (GrainException e) {
            if (e.status() == StatusCode.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    public List<DirEntry> list(String path) throws GrainException {
        return list(me(), path);
    }

    /** Every entry of a directory, in name order (fetched page by page). */
    public List<DirEntry> list(Caller c, String path) throws GrainException {
        List<DirEntry> out = new ArrayList<>();
        String after = "";
        while (true) {
            ListResponse r = ctx.master().call(c, Request.newBuilder().setList(ListRequest.newBuilder().setPath(path)
                    .setStartAfter(after))).getList();
            for (var e : r.getEntriesList()) {
                out.add(new DirEntry(e.getName(), FileStat.of(e.getAttr())));
            }
            if (!r.getHasMore() || r.getEntriesCount() == 0) {
                return out;
            }
            after = r.getEntries(r.getEntriesCount() - 1).getName();
        }
    }

    public FileStat mkdir(String path, int mode) throws GrainException {
        return mkdir(me(), path, mode, false);
    }

    public FileStat mkdirs(String path) throws GrainException {
        return mkdir(me(), path, 0755, true);
    }

    public FileStat mkdir(Caller c, String path, int mode, boolean parents) throws GrainException {
        return FileStat.of(attr(c, Request.newBuilder().setMkdir(MkdirRequest.newBuilder().setPath(path).setMode(mode)
                .setParents(parents))));
    }

    /** Removes a file, symlink or empty directory (a whole tree when recursive). */
    public void delete(String path, boolean recursive) throws GrainException {
        delete(me(), path, recursive, false, false);
    }

    public void delete(Caller c, String path, boolean recursive, boolean dirOnly, boolean fileOnly) throws GrainException {
        ctx.master().call(c, Request.newBuilder().setDelete(DeleteRequest.newBuilder().setPath(path)
                .setRecursive(recursive).setDirOnly(dirOnly).setFileOnly(fileOnly)));
    }

    public void rename(String src, String dst) throws GrainException {
        rename(me(), src, dst, false);
    }

    public void rename(Caller c, String src, String dst, boolean noReplace) throws GrainException {
        ctx.master().call(c, Request.newBuilder().setRename(RenameRequest.newBuilder().setSrc(src).setDst(dst)
                .setNoReplace(noReplace)));
    }

    public FileStat chmod(Caller c, String path, int mode) throws GrainException {
        return FileStat.of(attr(c, Request.newBuilder().setSetAttr(SetAttrRequest.newBuilder().setPath(path)
                .setMode(mode & 07777))));
    }

    public FileStat chmod(String path, int mode) throws GrainException {
        return chmod(me(), path, mode);
    }

    /** Changes owner and/or group; -1 leaves one unchanged. */
    public FileStat chown(Caller c, String path, int uid, int gid) throws GrainException {
        SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setPath(path);
        if (uid >= 0) {
            b.setUid(uid);
        }
        if (gid >= 0) {
            b.setGid(gid);
        }
        return FileStat.of(attr(c, Request.newBuilder().setSetAttr(b)));
    }

    public FileStat chown(String path, int uid, int gid) throws GrainException {
        return chown(me(), path, uid, gid);
    }

    /** Sets times in ns since the epoch; -1 leaves one unchanged; both -2 means "now". */
    public FileStat utimes(Caller c, String path, long atimeNs, long mtimeNs) throws GrainException {
        SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setPath(path);
        if (atimeNs == -2 && mtimeNs == -2) {
            b.setTimesNow(true);
        } else {
            if (atimeNs >= 0) {
                b.setAtimeNs(atimeNs);
            }
            if (mtimeNs >= 0) {
                b.setMtimeNs(mtimeNs);
            }
        }
        return FileStat.of(attr(c, Request.newBuilder().setSetAttr(b)));
    }

    public FileStat utimes(String path, long atimeNs, long mtimeNs) throws GrainException {
        return utimes(me(), path, atimeNs, mtimeNs);
    }

    /** chown of a symlink itself (lchown): a final symlink is not followed. -1 leaves one unchanged. */
    public FileStat lchown(Caller c, String path, int uid, int gid) throws GrainException {
        SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setPath(path).setNoFollow(true);
        if (uid >= 0) {
            b.setUid(uid);
        }
        if (gid >= 0) {
            b.setGid(gid);
        }
        return FileStat.of(attr(c, Request.newBuilder().setSetAttr(b)));
    }

    /** utimes without following a final symlink (utimensat with AT_SYMLINK_NOFOLLOW); same values as utimes. */
    public FileStat lutimes(Caller c, String path, long atimeNs, long mtimeNs) throws GrainException {
        SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setPath(path).setNoFollow(true);
        if (atimeNs == -2 && mtimeNs == -2) {
            b.setTimesNow(true);
        } else {
            if (atimeNs >= 0) {
                b.setAtimeNs(atimeNs);
            }
            if (mtimeNs >= 0) {
                b.setMtimeNs(mtimeNs);
            }
        }
        return FileStat.of(attr(c, Request.newBuilder().setSetAttr(b)));
    }

    public FileStat setReplication(Caller c, String path, int replication) throws GrainException {
        return FileStat.of(attr(c, Request.newBuilder().setSetAttr(SetAttrRequest.newBuilder().setPath(path)
                .setReplication(replication))));
    }

    public FileStat symlink(Caller c, String target, String linkPath) throws GrainException {
        return FileStat.of(attr(c, Request.newBuilder().setSymlink(SymlinkRequest.newBuilder().setTarget(target)
                .setLinkPath(linkPath))));
    }

    public FileStat symlink(String target, String linkPath) throws GrainException {
        return symlink(me(), target, linkPath);
    }

    public String readlink(Caller c, String path) throws GrainException {
        return ctx.master().call(c, Request.newBuilder().setReadlink(ReadlinkRequest.newBuilder().setPath(path)))
                .getReadlink().getTarget();
    }

    public String readlink(String path) throws GrainException {
        return readlink(me(), path);
    }

    public FsStats statfs() throws GrainException {
        StatFsResponse s = ctx.master().call(me(), Request.newBuilder().setStatfs(StatFsRequest.getDefaultInstance()))
                .getStatfs();
        return new FsStats(s.getCapacity(), s.getUsed(), s.getFree(), s.getFiles(), s.getChunks(), s.getLiveServers());
    }

    /**
     * Whether the master lets {@code c} do what root may: false for a root-squashed client host or
     * an ordinary user, true for root elsewhere and the superuser group.
     */
    public boolean actsAsRoot(Caller c) throws GrainException {
        return ctx.master().call(c, Request.newBuilder().setStatfs(StatFsRequest.getDefaultInstance())).getStatfs()
                .getSuperuser();
    }

    /** Checks a subtree's chunks against the master's location map (the fsck admin request). */
    public dev.grainfs.core.wire.proto.FsckResponse fsck(dev.grainfs.core.wire.proto.FsckRequest r) throws GrainException {
        return ctx.master().call(me(), Request.newBuilder().setFsck(r)).getFsck();
    }

    /** Where a file's chunks are: index, handle, version and the live replicas (for stat --chunks and fsck). */
    public List<dev.grainfs.core.wire.proto.ChunkLocation> locations(String path) throws GrainException {
        FileStat st = stat(path);
        List<dev.grainfs.core.wire.proto.ChunkLocation> out = new ArrayList<>();
        long slots = st.chunkSize() == 0 ? 0 : (st.size() + st.chunkSize() - 1) / st.chunkSize();
        for (long first = 0; first < Math.max(slots, 1); first += 1024) {
            out.addAll(ctx.master().call(me(), Request.newBuilder().setGetLocations(
                    dev.grainfs.core.wire.proto.GetLocationsRequest.newBuilder().setInode(st.inode())
                            .setFirstIndex(first).setCount(1024))).getLocations().getChunksList());
        }
        return out;
    }

    // ---------------------------------------------------------------- files

    public GrainFile create(String path, CreateOptions o) throws GrainException {
        return create(me(), path, o);
    }

    public GrainFile create(Caller c, String path, CreateOptions o) throws GrainException {
        Attr a = attr(c, Request.newBuilder().setCreate(CreateRequest.newBuilder().setPath(path).setMode(o.mode())
                .setReplication(o.replication()).setChunkSize(o.chunkSize()).setExclusive(o.exclusive())
                .setTruncate(o.truncate())));
        return new GrainFile(contextFor(c), path, a, true);
    }

    public GrainFile open(String path, boolean writable) throws GrainException {
        return open(me(), path, writable);
    }

    public GrainFile open(Caller c, String path, boolean writable) throws GrainException {
        Attr a = attr(c, Request.newBuilder().setStat(StatRequest.newBuilder().setPath(path)));
        if (a.getType() == FileType.DIRECTORY) {
            throw GrainException.of(StatusCode.EISDIR, "%s: is a directory", path);
        }
        return new GrainFile(contextFor(c), path, a, writable);
    }

    /** Cuts or extends a file by path. */
    public void truncate(Caller c, String path, long size) throws GrainException {
        try (GrainFile f = open(c, path, true)) {
            f.truncate(size);
        }
    }

    public void truncate(String path, long size) throws GrainException {
        truncate(me(), path, size);
    }

    /** Appends one record to a file (GFS record append); returns the offset it landed at. */
    public long recordAppend(String path, ByteBuffer record) throws GrainException {
        try (GrainFile f = open(path, true)) {
            return f.recordAppend(record);
        }
    }

    private ClientContext contextFor(Caller c) {
        return c.equals(ctx.config().caller()) ? ctx : new ClientContext(ctx.config().withCaller(c), ctx.rpc(), ctx.master());
    }

    @Override
    public void close() {
        ctx.rpc().close();
    }
}
