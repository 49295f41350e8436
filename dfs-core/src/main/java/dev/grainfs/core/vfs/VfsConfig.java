package dev.grainfs.core.vfs;

import java.time.Duration;

/**
 * How the VFS layer behaves, parsed once at the edge (the mount options).
 *
 * @param attrTtl  how long a stat answer is reused without asking the master (0 = never cached);
 *                 mutations made through this VFS invalidate at once, other clients' after this long
 * @param readOnly every mutation fails with EROFS
 */
public record VfsConfig(Duration attrTtl, boolean readOnly) {
    public static final Duration DEFAULT_ATTR_TTL = Duration.ofSeconds(1);

    public static VfsConfig defaults() {
        return new VfsConfig(DEFAULT_ATTR_TTL, false);
    }

    public VfsConfig withAttrTtl(Duration ttl) {
        return new VfsConfig(ttl, readOnly);
    }

    public VfsConfig withReadOnly(boolean ro) {
        return new VfsConfig(attrTtl, ro);
    }
}
