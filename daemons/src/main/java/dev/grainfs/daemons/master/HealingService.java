package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.FsckRequest;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.daemons.master.fsck.Fsck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's self-healing duties on timers (replication scan, trash purge) and the fsck admin
 * request; the logic lives in {@link dev.grainfs.daemons.master.replication.ReplicationMonitor},
 * {@link Fsck} and {@link TrashService}, this class takes the locks.
 */
final class HealingService {
    private static final Logger log = LoggerFactory.getLogger(HealingService.class);

    private final MasterCore core;
    private final TrashService trash;

    private java.util.function.BooleanSupplier inSafeMode = () -> false;

    HealingService(MasterCore core, TrashService trash) {
        this.core = core;
        this.trash = trash;
    }

    /** In safe mode nothing is re-replicated, trimmed or purged (HDFS's rule). */
    HealingService holdWhile(java.util.function.BooleanSupplier safeMode) {
        this.inSafeMode = safeMode;
        return this;
    }

    /** Timer: re-checks every chunk's replication and orders copies. */
    void scan() {
        if (inSafeMode.getAsBoolean()) {
            return;
        }
        try {
            core.lock.writeLock().lock();
            try {
                core.replication.scan(core.monoMs());
            } finally {
                core.lock.writeLock().unlock();
            }
        } catch (RuntimeException e) {
            log.error("replication scan failed", e);
        }
    }

    /** Timer: frees trash older than the retention. */
    void purgeTrash() {
        if (inSafeMode.getAsBoolean()) {
            return;
        }
        try {
            trash.purge();
        } catch (RuntimeException e) {
            log.error("trash purge failed", e);
        }
    }

    /** How often the trash is looked at: a tenth of the retention, between 100 ms and a minute. */
    long purgeIntervalMs() {
        return Math.max(100, Math.min(60_000, core.healing.trashRetentionMs() / 10));
    }

    /**
     * The verdict and counts are anyone's to ask (df-like numbers, no names); the listings name every
     * file and server, also below directories the caller may not search, so they need the superuser,
     * and others get the unhealthy files' count but not their names.
     */
    Response.Builder fsck(Permissions p, FsckRequest r) throws GrainException {
        if (r.getFiles() || r.getChunks() || r.getLocations()) {
            p.requireSuperuser("fsck --files/--chunks/--locations");
        }
        core.lock.readLock().lock();
        try {
            var out = Fsck.run(core.state, core.servers, core.replication, r);
            return Response.newBuilder().setFsck(p.isRoot() ? out : out.clearFileList());
        } finally {
            core.lock.readLock().unlock();
        }
    }
}
