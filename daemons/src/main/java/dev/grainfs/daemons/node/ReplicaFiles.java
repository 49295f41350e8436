package dev.grainfs.daemons.node;

import dev.grainfs.daemons.chunkserver.store.ChunkCorruptException;
import dev.grainfs.daemons.chunkserver.store.ChunkStore;
import dev.grainfs.daemons.chunkserver.store.ChunkStoreOptions;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The simulated chunkservers' disks: one real {@link ChunkStore} per server, in DATA_DIR/&lt;server id&gt;,
 * so a replica is a real chunk file whose every read the store checks against its CRC32C per 64 KiB
 * block (and whose partly overwritten blocks it checks before a write).
 *
 * Beside the stores the node keeps the protocol's own checksums: CRC32 (java.util.zip) of each block
 * as it was written, reported as stored_checksum; computed_checksum is the CRC32 of the bytes on disk
 * now. Single-threaded, like the node that owns it.
 */
final class ReplicaFiles implements Closeable {
    static final int BLOCK = 64 * 1024;
    /** The store's largest chunk, and so the largest chunk_size_mb the node accepts. */
    static final long MAX_CHUNK_BYTES = ChunkStoreOptions.DEFAULT_MAX_CHUNK_SIZE;
    private static final int COPY_PIECE = 1 << 20;

    /** One block of a replica: its bytes, CRC32 as written and as computed now, and the store's verdict. */
    record Block(byte[] data, int stored, int computed, boolean storeVerified) {
        boolean valid() {
            return storeVerified && stored == computed;
        }
    }

    private record Key(String server, long handle) {
    }

    private final Path root;
    private final Map<String, ChunkStore> stores = new HashMap<>();
    private final Map<Key, int[]> written = new HashMap<>();

    ReplicaFiles(Path root) {
        this.root = root;
    }

    private ChunkStore store(String server) throws IOException {
        ChunkStore s = stores.get(server);
        if (s == null) {
            s = ChunkStore.open(List.of(root.resolve(server)), ChunkStoreOptions.defaults());
            stores.put(server, s);
        }
        return s;
    }

    /** Creates an empty replica (an allocated chunk holds no bytes yet), replacing any old copy. */
    void create(String server, long handle, long version) throws IOException {
        delete(server, handle);
        store(server).create(handle, version);
        written.put(new Key(server, handle), new int[0]);
    }

    long length(String server, long handle) throws IOException {
        ChunkStore s = store(server);
        return s.contains(handle) ? s.length(handle) : 0;
    }

    void setVersion(String server, long handle, long version) throws IOException {
        store(server).setVersion(handle, version);
    }

    /**
     * Reads (so the store verifies) the blocks that a write at [offset, offset+len) only partly
     * covers, so that a write can be refused on every replica before any replica changed.
     */
    void verifyEdges(String server, long handle, long offset, int len) throws IOException {
        long length = length(server, handle);
        long last = (offset + Math.max(len, 1) - 1) / BLOCK;
        for (long b : new long[] {Math.min(offset, length) / BLOCK, offset / BLOCK, last}) {
            if (b * BLOCK < length) {
                readVerified(server, handle, b);
            }
        }
    }

    /** Writes {@code data} at {@code offset} and records the CRC32 of every block that changed. */
    void write(String server, long handle, long offset, byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        ChunkStore s = store(server);
        long oldLength = s.length(handle);
        s.write(handle, offset, ByteBuffer.wrap(data));
        long from = Math.min(offset, oldLength) / BLOCK; // a gap past the old end changes those blocks too
        long to = (offset + data.length - 1) / BLOCK;
        Key k = new Key(server, handle);
        int[] crcs = written.getOrDefault(k, new int[0]);
        if (crcs.length <= to) {
            crcs = Arrays.copyOf(crcs, (int) to + 1);
        }
        for (long b = from; b <= to; b++) {
            crcs[(int) b] = crc32(readVerified(server, handle, b));
        }
        written.put(k, crcs);
    }

    /** Block {@code b} (which must hold data) with its checksums; a block the store refuses is read raw. */
    Block read(String server, long handle, long b) throws IOException {
        int[] crcs = written.getOrDefault(new Key(server, handle), new int[0]);
        int stored = b < crcs.length ? crcs[(int) b] : 0;
        try {
            byte[] data = readVerified(server, handle, b);
            return new Block(data, stored, crc32(data), true);
        } catch (ChunkCorruptException e) {
            byte[] raw = readRaw(server, handle, b);
            return new Block(raw, stored, crc32(raw), false);
        }
    }

    /** Checks every block of a replica (the scrubber's check); returns its length. */
    long verifyAll(String server, long handle) throws IOException {
        store(server).verify(handle);
        return length(server, handle);
    }

    /**
     * Clones a replica to another server, reading it through the source's store (so every block is
     * verified) as a chunkserver-to-chunkserver copy does; returns the bytes copied.
     */
    long copy(String from, String to, long handle) throws IOException {
        ChunkStore src = store(from);
        long length = src.length(handle);
        create(to, handle, src.version(handle));
        ChunkStore dst = store(to);
        ByteBuffer buf = ByteBuffer.allocate(COPY_PIECE);
        for (long off = 0; off < length; off += COPY_PIECE) {
            buf.clear();
            int n = (int) Math.min(COPY_PIECE, length - off);
            src.read(handle, off, n, buf);
            buf.flip();
            dst.write(handle, off, buf);
        }
        written.put(new Key(to, handle), written.getOrDefault(new Key(from, handle), new int[0]).clone());
        return length;
    }

    void delete(String server, long handle) throws IOException {
        ChunkStore s = store(server);
        if (s.contains(handle)) {
            s.delete(handle);
        }
        written.remove(new Key(server, handle));
    }

    /** The replica's data file, for tests that damage it (the store's layout: chunks/xx/&lt;16 hex&gt;.chunk). */
    Optional<Path> dataFile(String server, long handle) throws IOException {
        String name = String.format("%016x.chunk", handle);
        Path dir = root.resolve(server);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).findFirst();
        }
    }

    private byte[] readVerified(String server, long handle, long b) throws IOException {
        ChunkStore s = store(server);
        int n = (int) Math.max(0, Math.min(BLOCK, s.length(handle) - b * BLOCK));
        ByteBuffer buf = ByteBuffer.allocate(n);
        s.read(handle, b * BLOCK, n, buf);
        return buf.array();
    }

    /** The bytes on disk, bypassing the store, which refuses a corrupt replica's bytes. */
    private byte[] readRaw(String server, long handle, long b) throws IOException {
        Path p = dataFile(server, handle)
                .orElseThrow(() -> new IOException("chunk " + handle + " has no file on " + server));
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            byte[] data = new byte[(int) Math.max(0, Math.min(BLOCK, f.length() - b * BLOCK))];
            f.seek(b * BLOCK);
            f.readFully(data);
            return data;
        }
    }

    static int crc32(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data, 0, data.length);
        return (int) c.getValue();
    }

    /** A checksum as the protocol writes it: 8 lowercase hex digits. */
    static String hex(int crc) {
        String h = Integer.toHexString(crc);
        return "00000000".substring(h.length()) + h;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ChunkStore s : stores.values()) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        stores.clear();
        if (first != null) {
            throw first;
        }
    }
}
