package dev.grainfs.daemons.chunkserver.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Helpers the chunk store tests share: buffers, whole-replica reads, on-disk byte flips, file lookups. */
final class ChunkTestFiles {

    static final int KIB = 1024;
    static final int BLOCK = 64 * KIB;

    private ChunkTestFiles() {
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static ByteBuffer direct(byte[] bytes, int from, int to) {
        ByteBuffer buf = ByteBuffer.allocateDirect(to - from);
        buf.put(bytes, from, to - from).flip();
        return buf;
    }

    static ByteBuffer direct(byte[] bytes) {
        return direct(bytes, 0, bytes.length);
    }

    /** Reads {@code length} bytes at {@code offset} through the store into a direct buffer, returns them. */
    static byte[] read(ChunkStore store, long handle, long offset, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocateDirect(length);
        int n = store.read(handle, offset, length, dst);
        byte[] out = new byte[n];
        dst.flip().get(out);
        return out;
    }

    static byte[] readAll(ChunkStore store, long handle) throws IOException {
        return read(store, handle, 0, (int) store.length(handle));
    }

    /** Inverts one byte of a file on disk, behind the store's back. */
    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) ~b.get(0)).clear();
            ch.write(b, position);
        }
    }

    /** The one file under {@code root} whose name is {@code name}. */
    static Path find(Path root, String name) throws IOException {
        List<Path> hits = files(root).stream().filter(p -> p.getFileName().toString().equals(name)).toList();
        if (hits.size() != 1) {
            throw new AssertionError(name + " found " + hits.size() + " times under " + root);
        }
        return hits.get(0);
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    static String name(long handle, String suffix) {
        return String.format("%016x", handle) + suffix;
    }
}
