package dev.grainfs.daemons.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The master epoch kept in the meta dir ({@code epoch}, one decimal number): 1 until the first
 * failover, raised by each promotion of a shadow, read by a master at start. Written to a temp file,
 * fsynced and renamed, so a crash leaves the old or the new number.
 */
final class EpochFile {
    static final String NAME = "epoch";

    private EpochFile() {
    }

    static long read(Path metaDir) throws IOException {
        Path f = metaDir.resolve(NAME);
        if (!Files.exists(f)) {
            return 1;
        }
        String s = Files.readString(f, StandardCharsets.US_ASCII).trim();
        try {
            long e = Long.parseLong(s);
            if (e < 1) {
                throw new NumberFormatException("below 1");
            }
            return e;
        } catch (NumberFormatException e) {
            throw new IOException(f + ": not an epoch number: '" + s + "'");
        }
    }

    static void write(Path metaDir, long epoch) throws IOException {
        Path tmp = metaDir.resolve(NAME + ".tmp");
        try (java.io.FileOutputStream out = new java.io.FileOutputStream(tmp.toFile())) {
            out.write((epoch + "\n").getBytes(StandardCharsets.US_ASCII));
            out.getFD().sync();
        }
        Files.move(tmp, metaDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(metaDir,
                java.nio.file.StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
