package dev.grainfs.daemons.chunkserver.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data directory (one disk): its layout marker and lock, where each chunk's files live, and its space use.
 *
 * <pre>
 * &lt;data dir&gt;/
 * +-- VERSION                        layout marker (properties): layout, layoutVersion, blockSize, storageId
 * +-- in_use.lock                    locked while a ChunkStore has the dir open
 * +-- chunks/
 *     +-- 00/ .. ff/                 subdir = low 8 bits of the handle, in hex
 *         +-- 000000000000a12a.chunk the chunk's bytes, exactly (cmp-able with the original file slice)
 *         +-- 000000000000a12a.meta  sidecar: version, length, CRC32C per 64 KiB block (see ChunkMetaFile)
 *         +-- *.tmp                  a create that did not finish; deleted at open
 * </pre>
 */
final class DataDir implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(DataDir.class);
    private static final String LAYOUT = "grainfs-chunkstore";
    private static final int LAYOUT_VERSION = 1;
    static final String DATA_SUFFIX = ".chunk";
    static final String META_SUFFIX = ".meta";
    static final String TMP_SUFFIX = ".tmp";

    final Path root;
    final FileStore fileStore;
    final String storageId;
    private final Path chunks;
    private final FileChannel lockChannel;
    private final AtomicLong usedBytes = new AtomicLong();
    private final AtomicInteger chunkCount = new AtomicInteger();

    private DataDir(Path root, FileStore fileStore, String storageId, FileChannel lockChannel) {
        this.root = root;
        this.fileStore = fileStore;
        this.storageId = storageId;
        this.chunks = root.resolve("chunks");
        this.lockChannel = lockChannel;
    }

    /** Locks the dir, formats it if it is new, and checks its layout marker. */
    static DataDir open(Path root) throws IOException {
        root = root.toAbsolutePath().normalize();
        Files.createDirectories(root);
        FileChannel lockChannel = FileChannel.open(root.resolve("in_use.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException(root + " is in use by another chunk store");
            }
            String storageId = readOrFormat(root);
            Files.createDirectories(root.resolve("chunks"));
            return new DataDir(root, Files.getFileStore(root), storageId, lockChannel);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    private static String readOrFormat(Path root) throws IOException {
        Path marker = root.resolve("VERSION");
        Properties p = new Properties();
        if (Files.exists(marker)) {
            try (InputStream in = Files.newInputStream(marker)) {
                p.load(in);
            }
            if (!LAYOUT.equals(p.getProperty("layout"))
                    || !String.valueOf(LAYOUT_VERSION).equals(p.getProperty("layoutVersion"))
                    || !String.valueOf(Blocks.SIZE).equals(p.getProperty("blockSize"))) {
                throw new IOException(marker + ": unsupported layout " + p);
            }
            return p.getProperty("storageId");
        }
        if (Files.exists(root.resolve("chunks"))) {
            throw new IOException(root + " has chunks/ but no VERSION marker; refusing to format it");
        }
        p.setProperty("layout", LAYOUT);
        p.setProperty("layoutVersion", String.valueOf(LAYOUT_VERSION));
        p.setProperty("blockSize", String.valueOf(Blocks.SIZE));
        p.setProperty("storageId", "DS-" + UUID.randomUUID());
        Path tmp = root.resolve("VERSION" + TMP_SUFFIX);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "GrainFS chunk store data dir");
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(root);
        log.info("formatted data dir {}", root);
        return p.getProperty("storageId");
    }

    /** A replica found by {@link #scan}; {@code problem} is null when it looks sound, else why it is corrupt. */
    record Found(long handle, long version, long length, String problem) {
    }

    /** Lists the replicas on this dir, deleting temp files and data files without a sidecar (unfinished ops). */
    List<Found> scan() throws IOException {
        TreeMap<Long, Path> data = new TreeMap<>();
        TreeMap<Long, Path> meta = new TreeMap<>();
        try (DirectoryStream<Path> subdirs = Files.newDirectoryStream(chunks)) {
            for (Path sub : subdirs) {
                if (!Files.isDirectory(sub) || !sub.getFileName().toString().matches("[0-9a-f]{2}")) {
                    log.warn("ignoring {}: not a chunk subdir", sub);
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(sub)) {
                    for (Path f : files) {
                        classify(f, data, meta);
                    }
                }
            }
        }
        List<Found> found = new ArrayList<>();
        for (var e : data.entrySet()) {
            if (!meta.containsKey(e.getKey())) {
                log.warn("deleting {}: data file without sidecar (unfinished create or delete)", e.getValue());
                Files.deleteIfExists(e.getValue());
            }
        }
        for (long handle : meta.keySet()) {
            found.add(inspect(handle, data.get(handle), meta.get(handle)));
        }
        return found;
    }

    private void classify(Path f, TreeMap<Long, Path> data, TreeMap<Long, Path> meta) throws IOException {
        String name = f.getFileName().toString();
        if (name.endsWith(TMP_SUFFIX)) {
            log.info("deleting leftover temp file {}", f);
            Files.deleteIfExists(f);
            return;
        }
        boolean isData = name.endsWith(DATA_SUFFIX);
        String stem = name.substring(0, Math.max(0, name.lastIndexOf('.')));
        if ((!isData && !name.endsWith(META_SUFFIX)) || !stem.matches("[0-9a-f]{16}")) {
            log.warn("ignoring {}: not a chunk file", f);
            return;
        }
        long handle = Long.parseUnsignedLong(stem, 16);
        if (!f.getParent().equals(subdir(handle))) {
            log.warn("ignoring {}: chunk file in the wrong subdir", f);
            return;
        }
        (isData ? data : meta).put(handle, f);
    }

    private Found inspect(long handle, Path data, Path meta) throws IOException {
        if (data == null) {
            return new Found(handle, -1, 0, "data file missing");
        }
        long length = Files.size(data);
        ChunkMetaFile.Header h;
        try (FileChannel ch = FileChannel.open(meta, StandardOpenOption.READ)) {
            h = ChunkMetaFile.readHeader(ch, handle);
        } catch (ChunkCorruptException e) {
            return new Found(handle, -1, length, e.getMessage());
        }
        if (h.corrupt()) {
            return new Found(handle, h.version(), length, "marked corrupt before the restart");
        }
        if (h.length() != length) {
            return new Found(handle, h.version(), length, "data is " + length + " bytes but the sidecar covers "
                    + h.length() + " (writes not synced before a crash)");
        }
        return new Found(handle, h.version(), length, null);
    }

    Path subdir(long handle) {
        return chunks.resolve(String.format("%02x", handle & 0xff));
    }

    Path dataPath(long handle) {
        return subdir(handle).resolve(String.format("%016x", handle) + DATA_SUFFIX);
    }

    Path metaPath(long handle) {
        return subdir(handle).resolve(String.format("%016x", handle) + META_SUFFIX);
    }

    long usableSpace() throws IOException {
        return fileStore.getUsableSpace();
    }

    long usedBytes() {
        return usedBytes.get();
    }

    int chunkCount() {
        return chunkCount.get();
    }

    void addUsed(long deltaBytes) {
        usedBytes.addAndGet(deltaBytes);
    }

    void addChunks(int delta) {
        chunkCount.addAndGet(delta);
    }

    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        lockChannel.close(); // releases the lock
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
