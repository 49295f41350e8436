package dev.grainfs.core.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeyTest {
    @TempDir
    Path dir;

    @Test
    void generatedKeyIsOwnerOnlyAndLoadsBack() throws IOException {
        Path f = dir.resolve("etc/cluster.key");
        ClusterKey k = ClusterKey.generate(f);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        ClusterKey back = ClusterKey.load(f);
        assertEquals(k.fingerprint(), back.fingerprint());
        assertArrayEquals(k.hmac(new byte[] {1}), back.hmac(new byte[] {1}));
        assertThrows(IOException.class, () -> ClusterKey.generate(f), "never overwrites a key");
    }

    @Test
    void keyReadableByOthersIsRefused() throws IOException {
        Path f = dir.resolve("k");
        ClusterKey.generate(f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> ClusterKey.load(f));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void malformedKeyFilesAreRefused() throws IOException {
        Path f = dir.resolve("bad");
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, "not base64 !!!\n");
        assertThrows(IOException.class, () -> ClusterKey.load(f));
        Files.writeString(f, "c2hvcnQ=\n");
        assertThrows(IOException.class, () -> ClusterKey.load(f));
    }

    @Test
    void differentKeysDifferentFingerprints() {
        assertTrue(!ClusterKey.random().fingerprint().equals(ClusterKey.random().fingerprint()));
    }
}
