package dev.grainfs.daemons.chunkserver.store;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throwaway throughput check, not a test: writes a 64 MiB chunk in 1 MiB direct buffers, syncs, reads it back,
 * through the store and through a bare FileChannel for comparison.
 *
 * <p>Run: {@code java -cp daemons/target/classes:daemons/target/test-classes:<slf4j-api.jar>
 * dev.grainfs.daemons.chunkserver.store.ChunkStoreBench [dir] [rounds]}.
 */
public final class ChunkStoreBench {

    private static final int MIB = 1 << 20;

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("chunkstore-bench");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ByteBuffer src = ByteBuffer.allocateDirect(MIB);
        byte[] noise = new byte[MIB];
        ThreadLocalRandom.current().nextBytes(noise);
        src.put(noise).flip();
        ByteBuffer dst = ByteBuffer.allocateDirect(MIB);
        try (ChunkStore store = ChunkStore.open(List.of(dir), ChunkStoreOptions.defaults())) {
            for (int round = 0; round < rounds; round++) {
                long handle = round;
                store.create(handle, 1);
                long t0 = System.nanoTime();
                for (int i = 0; i < 64; i++) {
                    store.write(handle, (long) i * MIB, src.duplicate());
                }
                long t1 = System.nanoTime();
                store.sync(handle);
                long t2 = System.nanoTime();
                for (int i = 0; i < 64; i++) {
                    dst.clear();
                    store.read(handle, (long) i * MIB, MIB, dst);
                }
                long t3 = System.nanoTime();
                System.out.printf("round %d: write %.0f MiB/s (page cache), write+sync %.0f MiB/s, read %.0f MiB/s%n",
                        round, 64 / secs(t1 - t0), 64 / secs(t2 - t0), 64 / secs(t3 - t2));
                store.delete(handle);
                raw(dir.resolve("raw"), src, dst);
            }
        }
    }

    private static void raw(Path file, ByteBuffer src, ByteBuffer dst) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 64; i++) {
                Blocks.writeFully(ch, src.duplicate(), (long) i * MIB);
            }
            long t1 = System.nanoTime();
            ch.force(false);
            long t2 = System.nanoTime();
            for (int i = 0; i < 64; i++) {
                Blocks.readFully(ch, dst.clear(), (long) i * MIB);
            }
            long t3 = System.nanoTime();
            System.out.printf("   bare FileChannel: write %.0f MiB/s, write+sync %.0f MiB/s, read %.0f MiB/s%n",
                    64 / secs(t1 - t0), 64 / secs(t2 - t0), 64 / secs(t3 - t2));
        }
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }
}
