package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.Attr;
import dev.grainfs.core.wire.proto.CreateRequest;
import dev.grainfs.core.wire.proto.DeleteRequest;
import dev.grainfs.core.wire.proto.DirEntry;
import dev.grainfs.core.wire.proto.ListRequest;
import dev.grainfs.core.wire.proto.ListResponse;
import dev.grainfs.core.wire.proto.MkdirRequest;
import dev.grainfs.core.wire.proto.ReadlinkResponse;
import dev.grainfs.core.wire.proto.RenameRequest;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.SetAttrRequest;
import dev.grainfs.core.wire.proto.StatFsResponse;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.core.wire.proto.SymlinkRequest;
import dev.grainfs.core.wire.proto.TruncateRequest;
import dev.grainfs.daemons.master.namespace.DirInode;
import dev.grainfs.daemons.master.namespace.FileInode;
import dev.grainfs.daemons.master.namespace.Inode;
import dev.grainfs.daemons.master.namespace.NamespaceTree;
import dev.grainfs.daemons.master.namespace.Paths;
import dev.grainfs.daemons.master.namespace.SymlinkInode;
import dev.grainfs.daemons.master.op.CreateOp;
import dev.grainfs.daemons.master.op.DeleteOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.MkdirOp;
import dev.grainfs.daemons.master.op.RenameOp;
import dev.grainfs.daemons.master.op.SetAttrOp;
import dev.grainfs.daemons.master.op.SetSizeOp;
import dev.grainfs.daemons.master.op.SymlinkOp;
import dev.grainfs.daemons.master.server.ServerInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Namespace requests: permission checks, then one MasterOp each through {@link MasterCore#submit};
 * a mutation returns its answer with the txid to wait for (the Committer sends it once durable).
 * Reads take the read lock only.
 */
final class NamespaceService {
    private static final int MAX_LIST_PAGE = 10_000;
    private final TrashService trash;
    private final MasterCore core;

    NamespaceService(MasterCore core) {
        this(core, null);
    }

    /** With a trash: deletions outside it move there instead (null = delete at once). */
    NamespaceService(MasterCore core, TrashService trash) {
        this.core = core;
        this.trash = trash;
    }

    private Inode resolve(Permissions p, String path, boolean followLast) throws GrainException {
        try {
            return core.state.tree().resolve(path, followLast, p::search);
        } catch (Permissions.PermissionDenied d) {
            throw d.toGrain();
        }
    }

    private NamespaceTree.Parent parent(Permissions p, String path) throws GrainException {
        try {
            return core.state.tree().resolveParent(path, p::search);
        } catch (Permissions.PermissionDenied d) {
            throw d.toGrain();
        }
    }

    private MasterOp.Builder op() {
        return MasterOp.newBuilder().setTimeNs(core.nowNs());
    }

    Response.Builder stat(Permissions p, String path, boolean noFollow) throws GrainException {
        core.lock.readLock().lock();
        try {
            return Response.newBuilder().setAttr(Attrs.of(resolve(p, path, !noFollow)));
        } finally {
            core.lock.readLock().unlock();
        }
    }

    Response.Builder list(Permissions p, ListRequest r) throws GrainException {
        core.lock.readLock().lock();
        try {
            Inode i = resolve(p, r.getPath(), true);
            if (!(i instanceof DirInode d)) {
                throw GrainException.of(StatusCode.ENOTDIR, "%s: not a directory", r.getPath());
            }
            p.check(d, Permissions.READ, r.getPath());
            int limit = r.getLimit() == 0 ? MAX_LIST_PAGE : Math.min(r.getLimit(), MAX_LIST_PAGE);
            byte[] after = r.getStartAfter().isEmpty() ? null : r.getStartAfter().getBytes(StandardCharsets.UTF_8);
            Inode[] page = d.list(after, limit + 1);
            ListResponse.Builder lb = ListResponse.newBuilder();
            for (int k = 0; k < Math.min(limit, page.length); k++) {
                lb.addEntries(DirEntry.newBuilder().setName(page[k].name()).setAttr(Attrs.of(page[k])));
            }
            lb.setHasMore(page.length > limit);
            return Response.newBuilder().setList(lb);
        } finally {
            core.lock.readLock().unlock();
        }
    }

    Response.Builder readlink(Permissions p, String path) throws GrainException {
        core.lock.readLock().lock();
        try {
            Inode i = resolve(p, path, false);
            if (!(i instanceof SymlinkInode s)) {
                throw GrainException.of(StatusCode.EINVAL, "%s: not a symbolic link", path);
            }
            return Response.newBuilder().setReadlink(ReadlinkResponse.newBuilder().setTarget(s.target()));
        } finally {
            core.lock.readLock().unlock();
        }
    }

    /** Capacity and counts, and who the master takes {@code p} for (a mount learns whether it is squashed). */
    Response.Builder statfs(Permissions p) {
        core.lock.readLock().lock();
        try {
            long cap = 0;
            long used = 0;
            long free = 0;
            int live = 0;
            for (ServerInfo s : core.servers.live()) {
                cap += s.capacity();
                used += s.used();
                free += s.free();
                live++;
            }
            return Response.newBuilder().setStatfs(StatFsResponse.newBuilder().setCapacity(cap).setUsed(used)
                    .setFree(free).setFiles(core.state.tree().inodeCount()).setChunks(core.state.chunks().size())
                    .setLiveServers(live).setCaller(p.caller()).setSuperuser(p.isRoot()));
        } finally {
            core.lock.readLock().unlock();
        }
    }

    MasterCore.Durable mkdir(Permissions p, MkdirRequest r) throws GrainException {
        long txid = -1;
        Attr attr;
        core.lock.writeLock().lock();
        try {
            if (r.getParents()) {
                List<byte[]> comps = Paths.split(r.getPath());
                StringBuilder prefix = new StringBuilder();
                Inode last = core.state.tree().root();
                for (byte[] c : comps) {
                    prefix.append('/').append(new String(c, StandardCharsets.UTF_8));
                    NamespaceTree.Parent par = parent(p, prefix.toString());
                    if (par.existing() != null) {
                        last = resolve(p, prefix.toString(), true);
                        if (!last.isDir()) {
                            throw GrainException.of(StatusCode.ENOTDIR, "%s: not a directory", prefix);
                        }
                        continue;
                    }
                    p.check(par.dir(), Permissions.WRITE | Permissions.EXEC, prefix.toString());
                    txid = mkdirOne(p, prefix.toString(), r.getMode());
                    last = core.state.tree().resolve(prefix.toString(), true);
                }
                attr = Attrs.of(last);
            } else {
                NamespaceTree.Parent par = parent(p, r.getPath());
                if (par.existing() != null) {
                    throw GrainException.of(StatusCode.EEXIST, "%s: file exists", r.getPath());
                }
                p.check(par.dir(), Permissions.WRITE | Permissions.EXEC, r.getPath());
                txid = mkdirOne(p, r.getPath(), r.getMode());
                attr = Attrs.of(par.dir().child(par.name()));
            }
        } finally {
            core.lock.writeLock().unlock();
        }
        return new MasterCore.Durable(Response.newBuilder().setAttr(attr), txid);
    }

    private long mkdirOne(Permissions p, String path, int mode) throws GrainException {
        long id = core.state.nextInodeId();
        return core.submit(op().setMkdir(MkdirOp.newBuilder().setPath(path).setInode(id)
                .setMode(mode == 0 ? 0755 : mode).setUid(p.uid()).setGid(p.gid())).build()).txid();
    }

    MasterCore.Durable create(Permissions p, CreateRequest r) throws GrainException {
        long txid = -1;
        Attr attr;
        core.lock.writeLock().lock();
        try {
            NamespaceTree.Parent par = parent(p, r.getPath());
            Inode existing = par.existing();
            if (existing instanceof SymlinkInode) {
                existing = resolve(p, r.getPath(), true); // creating through a symlink opens its target
            }
            if (existing != null) {
                if (r.getExclusive()) {
                    throw GrainException.of(StatusCode.EEXIST, "%s: file exists", r.getPath());
                }
                if (!(existing instanceof FileInode f)) {
                    throw GrainException.of(StatusCode.EISDIR, "%s: is a directory", r.getPath());
                }
                p.check(f, Permissions.WRITE, r.getPath());
                if (r.getTruncate() && f.size() > 0) {
                    txid = core.submit(op().setSetSize(SetSizeOp.newBuilder().setInode(f.id()).setSize(0)
                            .setExact(true)).build()).txid();
                }
                attr = Attrs.of(f);
            } else {
                p.check(par.dir(), Permissions.WRITE | Permissions.EXEC, r.getPath());
                int repl = r.getReplication() == 0 ? core.config.replication() : r.getReplication();
                long cs = r.getChunkSize() == 0 ? core.config.chunkSize() : r.getChunkSize();
                if (repl < 1 || repl > 16) {
                    throw GrainException.of(StatusCode.EINVAL, "replication %d out of range 1..16", repl);
                }
                if (cs < (64 << 10) || cs % (64 << 10) != 0 || cs > (1L << 30)) {
                    throw GrainException.of(StatusCode.EINVAL, "chunk size %d is not a multiple of 64 KiB up to 1 GiB", cs);
                }
                long id = core.state.nextInodeId();
                txid = core.submit(op().setCreate(CreateOp.newBuilder().setPath(r.getPath()).setInode(id)
                        .setMode(r.getMode() == 0 ? 0644 : r.getMode()).setUid(p.uid()).setGid(p.gid())
                        .setReplication(repl).setChunkSize(cs)).build()).txid();
                attr = Attrs.of(core.state.tree().byId(id));
            }
        } finally {
            core.lock.writeLock().unlock();
        }
        return new MasterCore.Durable(Response.newBuilder().setAttr(attr), txid);
    }

    MasterCore.Durable symlink(Permissions p, SymlinkRequest r) throws GrainException {
        long txid;
        Attr attr;
        if (r.getTarget().isEmpty() || r.getTarget().length() > Paths.MAX_PATH_BYTES) {
            throw GrainException.of(StatusCode.EINVAL, "%s: bad symlink target", r.getLinkPath());
        }
        core.lock.writeLock().lock();
        try {
            NamespaceTree.Parent par = parent(p, r.getLinkPath());
            if (par.existing() != null) {
                throw GrainException.of(StatusCode.EEXIST, "%s: file exists", r.getLinkPath());
            }
            p.check(par.dir(), Permissions.WRITE | Permissions.EXEC, r.getLinkPath());
            long id = core.state.nextInodeId();
            txid = core.submit(op().setSymlink(SymlinkOp.newBuilder().setPath(r.getLinkPath()).setInode(id)
                    .setTarget(r.getTarget()).setUid(p.uid()).setGid(p.gid())).build()).txid();
            attr = Attrs.of(core.state.tree().byId(id));
        } finally {
            core.lock.writeLock().unlock();
        }
        return new MasterCore.Durable(Response.newBuilder().setAttr(attr), txid);
    }

    MasterCore.Durable delete(Permissions p, DeleteRequest r) throws GrainException {
        long txid;
        core.lock.writeLock().lock();
        try {
            NamespaceTree.Parent par = parent(p, r.getPath());
            Inode victim = par.existing();
            if (victim == null) {
                throw GrainException.of(StatusCode.ENOENT, "%s: no such file or directory", r.getPath());
            }
            if (victim instanceof DirInode d) {
                if (r.getFileOnly()) {
                    throw GrainException.of(StatusCode.EISDIR, "%s: is a directory", r.getPath());
                }
                if (d.childCount() > 0 && !r.getRecursive()) {
                    throw GrainException.of(StatusCode.ENOTEMPTY, "%s: directory not empty", r.getPath());
                }
                if (!p.isRoot()) {
                    for (Inode i : NamespaceTree.subtree(d)) {
                        if (i instanceof DirInode sub && sub.childCount() > 0) {
                            p.check(sub, Permissions.READ | Permissions.WRITE | Permissions.EXEC, sub.path());
                        }
                    }
                }
            } else if (r.getDirOnly()) {
                throw GrainException.of(StatusCode.ENOTDIR, "%s: not a directory", r.getPath());
            }
            p.checkUnlink(par.dir(), victim, r.getPath());
            if (trash != null && trash.keeps(victim)) {
                txid = trash.moveToTrash(p, victim);
            } else {
                txid = core.submit(op().setDelete(DeleteOp.newBuilder().setPath(r.getPath())).build()).txid();
            }
        } finally {
            core.lock.writeLock().unlock();
        }
        return new MasterCore.Durable(Response.newBuilder().setEmpty(dev.grainfs.core.wire.proto.Empty.getDefaultInstance()),
                txid);
    }

    MasterCore.Durable rename(Permissions p, RenameRequest r) throws GrainException {
        long txid;
        core.lock.writeLock().lock();
        try {
            NamespaceTree.Parent from = parent(p, r.getSrc());
            if (from.existing() == null) {
                throw GrainException.of(StatusCode.ENOENT, "%s: no such file or directory", r.getSrc());
            }
            NamespaceTree.Parent to = parent(p, r.getDst());
            if (to.existing() != null && r.getNoReplace()) {
                throw GrainException.of(StatusCode.EEXIST, "%s: file exists", r.getDst());
            }
            p.checkUnlink(from.dir(), from.existing(), r.getSrc());
            p.check(to.dir(), Permissions.WRITE | Permissions.EXEC, r.getDst());
            if (to.existing() != null) {
                p.checkUnlink(to.dir(), to.existing(), r.getDst());
            }
            if (from.existing() instanceof DirInode d && from.dir() != to.dir()) {
                p.check(d, Permissions.WRITE, r.getSrc());
            }
            txid = core.submit(op().setRename(RenameOp.newBuilder().setSrc(r.getSrc()).setDst(r.getDst())).build())
                    .txid();
        } finally {
            core.lock.writeLock().unlock();
        }
        return new MasterCore.Durable(Response.newBuilder().setEmpty(dev.grainfs.core.wire.proto.Empty.getDefaultInstance()),
                txid);
    }

    MasterCore.Durable setAttr(Permissions p, SetAttrRequest r) throws GrainException {
        long txid;
        Attr attr;
        core.lock.writeLock().lock();
        try {
            Inode i = resolve(p, r.getPath(), !r.getNoFollow());
            SetAttrOp.Builder a = SetAttrOp.newBuilder().setPath(i.path());
            if (r.hasMode()) {
                p.checkOwner(i, r.getPath());
                int mode = r.getMode() & 07777;
                if (!p.isRoot() && !p.inGroup(i.gid())) {
                    mode &= ~02000; // as Linux does: setgid is dropped for a non-member
                }
                a.setMode(mode);
            }
            if (r.hasUid() && r.getUid() != i.uid()) {
                if (!p.isRoot()) {
                    throw GrainException.of(StatusCode.EPERM, "%s: only root may change the owner", r.getPath());
                }
                a.setUid(r.getUid());
            }
            if (r.hasGid() && r.getGid() != i.gid()) {
                if (!p.isRoot() && (p.uid() != i.uid() || !p.inGroup(r.getGid()))) {
                    throw GrainException.of(StatusCode.EPERM, "%s: operation not permitted", r.getPath());
                }
                a.setGid(r.getGid());
            }
            if (r.getTimesNow()) {
                if (p.uid() != i.uid() && !p.allowed(i, Permissions.WRITE)) {
                    throw GrainException.of(StatusCode.EACCES, "%s: permission denied", r.getPath());
                }
                long now = core.nowNs();
                a.setAtimeNs(now).setMtimeNs(now);
            } else if (r.hasAtimeNs() || r.hasMtimeNs()) {
                p.checkOwner(i, r.getPath());
                if (r.hasAtimeNs()) {
                    a.setAtimeNs(r.getAtimeNs());
                }
                if (r.hasMtimeNs()) {
                    a.setMtimeNs(r.getMtimeNs());
                }
            }
            if (r.hasReplication()) {
                p.checkOwner(i, r.getPath());
                if (r.getReplication() < 1 || r.getReplication() > 16) {
                    throw GrainException.of(StatusCode.EINVAL, "replication %d out of range 1..16", r.getReplication());
                }
                a.setReplication(r.getReplication());
            }
            if (i.parent() == null && i.path().equals("/")) {
                a.setPath("/");
            }
            txid = core.submit(op().setSetAttr(a).build()).txid();
            attr = Attrs.of(i);
        } finally {
            core.lock.writeLock().unlock();
        }
        return new MasterCore.Durable(Response.newBuilder().setAttr(attr), txid);
    }

    MasterCore.Durable truncate(Permissions p, TruncateRequest r) throws GrainException {
        long txid;
        Attr attr;
        core.lock.writeLock().lock();
        try {
            Inode i = resolve(p, r.getPath(), true);
            if (!(i instanceof FileInode f)) {
                throw GrainException.of(i.isDir() ? StatusCode.EISDIR : StatusCode.EINVAL, "%s: not a regular file", r.getPath());
            }
            p.check(f, Permissions.WRITE, r.getPath());
            txid = core.submit(op().setSetSize(SetSizeOp.newBuilder().setInode(f.id()).setSize(r.getSize())
                    .setExact(true)).build()).txid();
            attr = Attrs.of(f);
        } finally {
            core.lock.writeLock().unlock();
        }
        return new MasterCore.Durable(Response.newBuilder().setAttr(attr), txid);
    }
}
