package dev.grainfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
    @Test
    void defaultsAreTheFastOnes() {
        MountOptions o = MountOptions.parse("");
        assertTrue(o.bigWrites() && o.multithreaded() && o.defaultPermissions());
        assertFalse(o.allowOther() || o.readOnly());
        assertEquals(128 << 10, o.maxWrite());
        assertEquals(Duration.ofSeconds(1), o.attrTimeout());
        String args = String.join(" ", o.fuseArgs("grainfs@h:1"));
        assertTrue(args.startsWith("-o fsname=grainfs@h:1,subtype=grainfs,use_ino,"), args);
        assertTrue(args.contains(",big_writes,") && args.contains("max_write=131072") && args.contains("attr_timeout=1.000"));
        assertFalse(args.contains(" -s"));
    }

    @Test
    void parsesEveryOption() {
        MountOptions o = MountOptions.parse("allow_other, ro,max_write=64k,max_read=65536,attr_timeout=500ms,"
                + "entry_timeout=2,negative_timeout=0.25s,single_threaded,no_big_writes,no_default_permissions,"
                + "debug,kernel_cache");
        assertTrue(o.allowOther() && o.readOnly() && o.debug());
        assertFalse(o.bigWrites() || o.multithreaded() || o.defaultPermissions());
        assertEquals(64 << 10, o.maxWrite());
        assertEquals(65536, o.maxRead());
        assertEquals(Duration.ofMillis(500), o.attrTimeout());
        assertEquals(Duration.ofSeconds(2), o.entryTimeout());
        assertEquals(Duration.ofMillis(250), o.negativeTimeout());
        assertEquals(List.of("kernel_cache"), o.extra());
        List<String> args = o.fuseArgs("x");
        assertTrue(args.contains("-s") && args.contains("-d"));
        assertTrue(args.get(1).contains(",allow_other,ro,kernel_cache"), args.get(1));
        assertEquals(Duration.ofMillis(500), o.vfsConfig().attrTtl());
        assertTrue(o.vfsConfig().readOnly());
    }

    @Test
    void badValuesAreClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MountOptions.parse("max_write=1m"))
                .getMessage().contains("128k"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MountOptions.parse("attr_timeout=soon"))
                .getMessage().contains("attr_timeout=soon"));
        assertThrows(IllegalArgumentException.class, () -> MountOptions.parse("max_read=lots"));
    }

    @Test
    void mountTableFindsTheTypeMountedAtADirectory() {
        List<String> info = List.of(
                "22 1 0:21 / /proc rw,nosuid - proc proc rw",
                "98 22 0:44 / /tmp/with\\040space rw,nosuid,nodev - fuse.grainfs grainfs@h:1 rw,user_id=0",
                "99 22 0:45 / /mnt/x rw - ext4 /dev/vdb rw");
        assertEquals("fuse.grainfs", MountTable.typeAt(info, "/tmp/with space"));
        assertEquals("ext4", MountTable.typeAt(info, "/mnt/x"));
        assertEquals(null, MountTable.typeAt(info, "/mnt"));
    }
}
