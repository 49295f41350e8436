package dev.grainfs.daemons.master;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.Caller;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.daemons.master.namespace.DirInode;
import dev.grainfs.daemons.master.namespace.Inode;

/** POSIX permission checks for one caller: owner/group/other bits, root bypass, sticky directories. */
public final class Permissions {
    public static final int READ = 4;
    public static final int WRITE = 2;
    public static final int EXEC = 1;

    private final Caller caller;
    private final boolean superuser;

    public Permissions(Caller caller) {
        this(caller, false);
    }

    /** {@code superuser}: a member of the configured superuser group, who may do what root may. */
    public Permissions(Caller caller, boolean superuser) {
        this.caller = caller;
        this.superuser = superuser;
    }

    /** The caller after the exports (root squashed to the anonymous user). */
    public Caller caller() {
        return caller;
    }

    public boolean isRoot() {
        return caller.getUid() == 0 || superuser;
    }

    /**
     * Admin operations that change cluster state (safe mode, checkpoint, and every admin request
     * added later: balance, decommission, setrep on others' files, failover) call this first:
     * only root from a host the exports do not squash, or the superuser group, passes.
     *
     * @param what the operation as the operator typed it, for the error ("safemode enter")
     * @throws GrainException EPERM for everyone else
     */
    public void requireSuperuser(String what) throws GrainException {
        if (!isRoot()) {
            throw GrainException.of(StatusCode.EPERM, "%s: only root or the superuser group may do this", what);
        }
    }

    public int uid() {
        return caller.getUid();
    }

    public int gid() {
        return caller.getGid();
    }

    public boolean inGroup(int gid) {
        if (caller.getGid() == gid) {
            return true;
        }
        for (int g : caller.getGroupsList()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    public boolean allowed(Inode i, int want) {
        if (isRoot()) {
            // root may do anything, except execute a file that nobody may execute
            return (want & EXEC) == 0 || i.isDir() || (i.mode() & 0111) != 0;
        }
        int bits;
        if (i.uid() == caller.getUid()) {
            bits = (i.mode() >> 6) & 7;
        } else if (inGroup(i.gid())) {
            bits = (i.mode() >> 3) & 7;
        } else {
            bits = i.mode() & 7;
        }
        return (bits & want) == want;
    }

    public void check(Inode i, int want, String path) throws GrainException {
        if (!allowed(i, want)) {
            throw GrainException.of(StatusCode.EACCES, "%s: permission denied", path);
        }
    }

    /** Search permission on a directory being walked through. */
    public void search(DirInode d) {
        if (!allowed(d, EXEC)) {
            throw new PermissionDenied(d.path());
        }
    }

    /** May this caller remove or rename {@code child} out of {@code dir}? (write+search, sticky bit) */
    public void checkUnlink(DirInode dir, Inode child, String path) throws GrainException {
        check(dir, WRITE | EXEC, path);
        boolean sticky = (dir.mode() & 01000) != 0;
        if (sticky && !isRoot() && caller.getUid() != dir.uid() && caller.getUid() != child.uid()) {
            throw GrainException.of(StatusCode.EACCES, "%s: permission denied (sticky directory)", path);
        }
    }

    /** Only the owner (or root) may chmod or utimes to explicit times. */
    public void checkOwner(Inode i, String path) throws GrainException {
        if (!isRoot() && caller.getUid() != i.uid()) {
            throw GrainException.of(StatusCode.EPERM, "%s: operation not permitted", path);
        }
    }

    /** Unchecked carrier for a denial found inside a tree walk; converted by {@link #rethrow}. */
    public static final class PermissionDenied extends RuntimeException {
        PermissionDenied(String path) {
            super(path + ": permission denied", null, false, false);
        }

        public GrainException toGrain() {
            return new GrainException(StatusCode.EACCES, getMessage());
        }
    }
}
