package dev.grainfs.daemons.master.chunk;

import dev.grainfs.daemons.master.namespace.FileInode;

/**
 * The master's record of one chunk: handle, current version, owning file, and where its
 * up-to-date replicas are (server slots of the ServerRegistry; volatile, rebuilt from reports).
 * Mutated only under the master's lock. 40 bytes with compressed oops, plus the replica array.
 */
public final class ChunkInfo {
    private static final int[] NO_REPLICAS = new int[0];
    final long handle;
    long version;
    FileInode file;
    int index;                 // a file has at most 2^31 chunks
    int[] replicas = NO_REPLICAS;  // copied on change, never mutated: safe to share and to hand out

    ChunkInfo(long handle, long version, FileInode file, long index) {
        if (index < 0 || index > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("chunk index " + index + " out of range");
        }
        this.handle = handle;
        this.version = version;
        this.file = file;
        this.index = (int) index;
    }

    public long handle() {
        return handle;
    }

    public long version() {
        return version;
    }

    public void setVersion(long v) {
        this.version = v;
    }

    public FileInode file() {
        return file;
    }

    public long index() {
        return index;
    }

    /** Server slots holding a replica at the current version; the array is shared: never write to it. */
    public int[] replicas() {
        return replicas;
    }

    public boolean hasReplica(int slot) {
        for (int r : replicas) {
            if (r == slot) {
                return true;
            }
        }
        return false;
    }

    public boolean addReplica(int slot) {
        if (hasReplica(slot)) {
            return false;
        }
        int[] n = java.util.Arrays.copyOf(replicas, replicas.length + 1);
        n[replicas.length] = slot;
        replicas = ReplicaSets.canonical(n);
        return true;
    }

    public boolean removeReplica(int slot) {
        for (int i = 0; i < replicas.length; i++) {
            if (replicas[i] == slot) {
                int[] n = new int[replicas.length - 1];
                System.arraycopy(replicas, 0, n, 0, i);
                System.arraycopy(replicas, i + 1, n, i, replicas.length - i - 1);
                replicas = n.length == 0 ? NO_REPLICAS : ReplicaSets.canonical(n);
                return true;
            }
        }
        return false;
    }

    public void clearReplicas() {
        replicas = NO_REPLICAS;
    }
}
