package dev.grainfs.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every daemon and trusted client host of one cluster shares: 32 random bytes, kept
 * base64-encoded on one line of a file that only its owner may read (mode 0600, checked at load).
 * Immutable and thread-safe.
 */
public final class ClusterKey {
    public static final int BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] key;
    private final String fingerprint;

    private ClusterKey(byte[] key) {
        if (key.length != BYTES) {
            throw new IllegalArgumentException("a cluster key has " + BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
        this.fingerprint = hex(hmac("grainfs key fingerprint".getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    public static ClusterKey of(byte[] key) {
        return new ClusterKey(key);
    }

    public static ClusterKey random() {
        byte[] b = new byte[BYTES];
        new SecureRandom().nextBytes(b);
        return new ClusterKey(b);
    }

    /** Writes a new random key to {@code file} (mode 0600; refuses to overwrite an existing file). */
    public static ClusterKey generate(Path file) throws IOException {
        ClusterKey k = random();
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.write(file, (Base64.getEncoder().encodeToString(k.key) + "\n").getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.TRUNCATE_EXISTING);
        return k;
    }

    /** Reads a key file; refuses one that group or others may read or write. */
    public static ClusterKey load(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        for (PosixFilePermission p : perms) {
            if (!OWNER_ONLY.contains(p)) {
                throw new IOException("cluster key " + file + " has mode " + PosixFilePermissions.toString(perms)
                        + "; it must be readable by its owner only (chmod 600 " + file + ")");
            }
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("cluster key " + file + " is not a base64 key written by `grainfs keygen`");
        }
        if (raw.length != BYTES) {
            throw new IOException("cluster key " + file + " holds " + raw.length + " bytes, expected " + BYTES);
        }
        return new ClusterKey(raw);
    }

    /** HMAC-SHA256 under this key over the concatenation of {@code parts}. */
    public byte[] hmac(byte[]... parts) {
        return hmacWith(key, parts);
    }

    /** A key for one purpose derived from this one (so tokens and handshakes never share a MAC key). */
    public byte[] derive(String purpose) {
        return hmac(("grainfs derive " + purpose).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmacWith(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison. */
    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** A short public name for this key (for logs: which key a daemon runs with), not secret. */
    public String fingerprint() {
        return fingerprint;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "ClusterKey[" + fingerprint + "]";
    }
}
