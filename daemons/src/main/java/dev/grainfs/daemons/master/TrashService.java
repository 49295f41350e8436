package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.daemons.master.namespace.DirInode;
import dev.grainfs.daemons.master.namespace.Inode;
import dev.grainfs.daemons.master.op.DeleteOp;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.op.MkdirOp;
import dev.grainfs.daemons.master.op.RenameOp;
import java.nio.charset.StandardCharsets;

/**
 * The trash (GFS's lazy deletion): a deleted file or non-empty directory is renamed to
 * {@code /.trash/<deletion time, ms since the epoch>/<its original path>} and stays restorable by
 * moving it back; once the retention has passed the whole time directory is deleted and its chunks
 * freed. It is all ordinary Mkdir/Rename/Delete ops, so the log and checkpoints carry the trash
 * across master restarts, and the time in each directory name makes the purge deterministic.
 *
 * <pre>
 * /.trash/                    root-owned, mode 1777
 *   1712345678901/            mode 1777, one per deletion time
 *     home/alice/report.txt   the deleted file under its old path (parents owned by the deleter)
 * </pre>
 */
final class TrashService {
    static final String ROOT = "/.trash";
    private static final int PURGES_PER_ROUND = 64;

    private final MasterCore core;

    TrashService(MasterCore core) {
        this.core = core;
    }

    /** True when deleting {@code victim} should move it to the trash instead. Caller holds the lock. */
    boolean keeps(Inode victim) {
        if (core.healing.trashRetentionMs() <= 0) {
            return false;
        }
        String path = victim.path();
        if (path.equals(ROOT) || path.startsWith(ROOT + "/") || path.equals("/")) {
            return false;
        }
        return !(victim instanceof DirInode d) || d.childCount() > 0; // an empty directory holds nothing to keep
    }

    /** Moves {@code victim} into the trash; returns the txid to sync. Caller holds the write lock. */
    long moveToTrash(Permissions p, Inode victim) throws GrainException {
        String src = victim.path();
        long ms = core.nowNs() / 1_000_000L;
        String dst;
        while (exists(dst = ROOT + "/" + ms + src)) {
            ms++; // the same path deleted twice in one millisecond
        }
        mkdir(ROOT, 01777, 0, 0);
        mkdir(ROOT + "/" + ms, 01777, 0, 0);
        StringBuilder dir = new StringBuilder(ROOT + "/" + ms);
        String[] parts = src.substring(1).split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            dir.append('/').append(parts[i]);
            mkdir(dir.toString(), 0755, p.uid(), p.gid());
        }
        return core.submit(op().setRename(RenameOp.newBuilder().setSrc(src).setDst(dst)).build()).txid();
    }

    /** Deletes the trash's time directories older than the retention, a bounded number per call. */
    void purge() {
        long retention = core.healing.trashRetentionMs();
        if (retention <= 0) {
            return;
        }
        long txid = -1;
        int purged = 0;
        core.lock.writeLock().lock();
        try {
            if (!(core.state.tree().root().child(ROOT.substring(1).getBytes(StandardCharsets.UTF_8)) instanceof DirInode t)) {
                return;
            }
            long now = core.nowNs() / 1_000_000L;
            for (Inode i : t.list(null, Integer.MAX_VALUE)) {
                if (purged >= PURGES_PER_ROUND) {
                    break;
                }
                long deletedAt;
                try {
                    deletedAt = Long.parseLong(i.name());
                } catch (NumberFormatException e) {
                    continue; // something a user put there: not ours to purge
                }
                if (deletedAt + retention <= now) {
                    txid = core.submit(op().setDelete(DeleteOp.newBuilder().setPath(ROOT + "/" + i.name())).build()).txid();
                    purged++;
                }
            }
        } catch (GrainException e) {
            throw new IllegalStateException("trash purge: " + e.getMessage(), e);
        } finally {
            core.lock.writeLock().unlock();
        }
        if (txid >= 0) {
            try {
                core.sync(txid);
            } catch (GrainException e) {
                throw new IllegalStateException("trash purge: " + e.getMessage(), e);
            }
        }
    }

    private boolean exists(String path) {
        try {
            core.state.tree().resolve(path, false);
            return true;
        } catch (GrainException e) {
            return false;
        }
    }

    private void mkdir(String path, int mode, int uid, int gid) throws GrainException {
        if (!exists(path)) {
            core.submit(op().setMkdir(MkdirOp.newBuilder().setPath(path).setInode(core.state.nextInodeId())
                    .setMode(mode).setUid(uid).setGid(gid)).build());
        }
    }

    private MasterOp.Builder op() {
        return MasterOp.newBuilder().setTimeNs(core.nowNs());
    }
}
