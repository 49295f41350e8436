package dev.grainfs.fuse;

import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.client.FsStats;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/** Copies GrainFS attributes into the kernel's stat and statvfs structures. */
final class Stats {
    /** st_blksize: the I/O size tools like cp and dd are told to use (one FUSE request). */
    static final int IO_BLOCK = 128 << 10;
    /** f_frsize: the unit df counts in. */
    static final int FS_BLOCK = 4096;
    /** Inodes are not a limited resource of the master; df -i shows this many free. */
    static final long FREE_INODES = 1L << 32;
    static final int NAME_MAX = 255;

    private Stats() {
    }

    static void fill(ru.serce.jnrfuse.struct.FileStat st, FileStat s) {
        int type = switch (s.type()) {
            case DIRECTORY -> ru.serce.jnrfuse.struct.FileStat.S_IFDIR;
            case SYMLINK -> ru.serce.jnrfuse.struct.FileStat.S_IFLNK;
            default -> ru.serce.jnrfuse.struct.FileStat.S_IFREG;
        };
        st.st_mode.set(type | (s.isSymlink() ? 0777 : s.mode() & 07777));
        st.st_ino.set(s.inode());
        st.st_nlink.set(Math.max(1, s.nlink()));
        st.st_uid.set(s.uid());
        st.st_gid.set(s.gid());
        st.st_size.set(s.size());
        st.st_blksize.set(IO_BLOCK);
        st.st_blocks.set((s.size() + 511) / 512);
        time(st.st_atim, s.atimeNs());
        time(st.st_mtim, s.mtimeNs());
        time(st.st_ctim, s.ctimeNs());
    }

    private static void time(Timespec t, long ns) {
        t.tv_sec.set(Math.floorDiv(ns, 1_000_000_000L));
        t.tv_nsec.set(Math.floorMod(ns, 1_000_000_000L));
    }

    static void fill(Statvfs st, FsStats s) {
        st.f_bsize.set(FS_BLOCK);
        st.f_frsize.set(FS_BLOCK);
        st.f_blocks.set(s.capacity() / FS_BLOCK);
        st.f_bfree.set(s.free() / FS_BLOCK);
        st.f_bavail.set(s.free() / FS_BLOCK);
        st.f_files.set(s.files() + FREE_INODES);
        st.f_ffree.set(FREE_INODES);
        st.f_favail.set(FREE_INODES);
        st.f_namemax.set(NAME_MAX);
    }
}
