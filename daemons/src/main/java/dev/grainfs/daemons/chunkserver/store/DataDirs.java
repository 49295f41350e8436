package dev.grainfs.daemons.chunkserver.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** All of a store's data dirs: opened and locked together, the choice of dir for a new chunk, and disk usage. */
final class DataDirs implements Closeable {

    private final List<DataDir> dirs;

    private DataDirs(List<DataDir> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    /** Opens every dir, or none: a failure closes the ones already opened. */
    static DataDirs open(List<Path> roots) throws IOException {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no data dirs");
        }
        List<DataDir> opened = new ArrayList<>();
        try {
            for (Path root : roots) {
                opened.add(DataDir.open(root));
            }
            return new DataDirs(opened);
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    List<DataDir> list() {
        return dirs;
    }

    /** The dir with the most free space; dirs sharing a file system go by fewest bytes, then fewest chunks. */
    DataDir pickForNewChunk() throws IOException {
        DataDir best = null;
        long bestFree = -1;
        for (DataDir d : dirs) {
            long free = d.usableSpace();
            boolean sameFs = best != null && best.fileStore.equals(d.fileStore);
            if (best == null || (!sameFs && free > bestFree) || (sameFs && (d.usedBytes() < best.usedBytes()
                    || d.usedBytes() == best.usedBytes() && d.chunkCount() < best.chunkCount()))) {
                best = d;
                bestFree = free;
            }
        }
        return best;
    }

    /** Total size of the file systems under the dirs, each counted once. */
    long capacityBytes() throws IOException {
        long total = 0;
        for (FileStore fs : fileStores()) {
            total += fs.getTotalSpace();
        }
        return total;
    }

    /** Bytes this process may still use on the file systems under the dirs, each counted once. */
    long freeBytes() throws IOException {
        long free = 0;
        for (FileStore fs : fileStores()) {
            free += fs.getUsableSpace();
        }
        return free;
    }

    /** Sum of the lengths of the replicas on the dirs. */
    long usedBytes() {
        return dirs.stream().mapToLong(DataDir::usedBytes).sum();
    }

    private Set<FileStore> fileStores() {
        Set<FileStore> stores = new HashSet<>();
        dirs.forEach(d -> stores.add(d.fileStore));
        return stores;
    }

    @Override
    public void close() throws IOException {
        IOException failure = new IOException("closing data dirs failed");
        closeAll(dirs, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeAll(List<DataDir> dirs, Exception failure) {
        for (DataDir d : dirs) {
            try {
                d.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public String toString() {
        return dirs.toString();
    }
}
