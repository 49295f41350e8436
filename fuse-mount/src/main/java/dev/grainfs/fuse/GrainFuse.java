package dev.grainfs.fuse;

import com.kenai.jffi.MemoryIO;
import dev.grainfs.core.Errno;
import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.DirEntry;
import dev.grainfs.core.vfs.Callers;
import dev.grainfs.core.vfs.TimeSpec;
import dev.grainfs.core.vfs.Vfs;
import dev.grainfs.core.wire.proto.Caller;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The FUSE operations of a GrainFS mount. Each one translates one kernel call onto the {@link Vfs}
 * with the calling process's identity and returns 0 or -errno; there is no other logic here.
 * Extended attributes stay unimplemented: the kernel then answers ENOTSUP itself without asking
 * again, which keeps ls -l and cp -a quiet and fast. Hard links answer EPERM.
 *
 * Called from libfuse's worker threads, concurrently.
 */
final class GrainFuse extends FuseStubFS {
    private static final Logger log = LoggerFactory.getLogger(GrainFuse.class);
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private final Vfs vfs;
    private final Callers callers = new Callers();
    private final CountDownLatch live = new CountDownLatch(1);

    GrainFuse(Vfs vfs) {
        this.vfs = vfs;
        acceptUtimeOmit();
    }

    /**
     * Sets fuse_operations.flag_utime_omit_ok. Without it libfuse 2 silently drops a utimensat that
     * sets only one of atime and mtime (tar, touch -m); with it, utimens gets UTIME_OMIT/UTIME_NOW.
     * jnr-fuse maps the C bit-field word as four padding bytes; the flag is bit 2 of its first byte.
     */
    private void acceptUtimeOmit() {
        Pointer ops = Struct.getMemory(fuseOperations);
        long at = MemberOffset.of(fuseOperations.flag_nullpath_ok);
        ops.putByte(at, (byte) (ops.getByte(at) | 0x04));
    }

    /** jnr-ffi shows a struct member's offset to Struct subclasses only. */
    private static final class MemberOffset extends Struct {
        private MemberOffset() {
            super(jnr.ffi.Runtime.getSystemRuntime());
        }

        static long of(Struct.Padding member) {
            return ((AbstractMember) member).offset();
        }
    }

    /** Counts down once the kernel finished the FUSE handshake: the mount is serving. */
    CountDownLatch live() {
        return live;
    }

    private Caller caller() {
        FuseContext ctx = getContext();
        return callers.of(ctx.uid.intValue(), ctx.gid.intValue(), ctx.pid.intValue());
    }

    @Override
    public Pointer init(Pointer conn) {
        live.countDown();
        return null;
    }

    @Override
    public int getattr(String path, FileStat stat) {
        try {
            Stats.fill(stat, vfs.getattr(caller(), path));
            return 0;
        } catch (Exception e) {
            return errno(e, "getattr", path);
        }
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        try {
            Stats.fill(stat, vfs.fgetattr(fi.fh.get()));
            return 0;
        } catch (Exception e) {
            return errno(e, "fgetattr", path);
        }
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        try {
            var entries = vfs.readdir(caller(), path);
            fill(filler, buf, ".");
            fill(filler, buf, "..");
            for (DirEntry e : entries) {
                if (fill(filler, buf, e.name()) != 0) {
                    break;
                }
            }
            return 0;
        } catch (Exception e) {
            return errno(e, "readdir", path);
        }
    }

    private static int fill(FuseFillDir filler, Pointer buf, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        byte[] z = java.util.Arrays.copyOf(b, b.length + 1); // NUL-terminated for libfuse
        return filler.apply(buf, ByteBuffer.wrap(z), null, 0);
    }

    @Override
    public int mkdir(String path, long mode) {
        try {
            vfs.mkdir(caller(), path, (int) mode);
            return 0;
        } catch (Exception e) {
            return errno(e, "mkdir", path);
        }
    }

    @Override
    public int rmdir(String path) {
        try {
            vfs.rmdir(caller(), path);
            return 0;
        } catch (Exception e) {
            return errno(e, "rmdir", path);
        }
    }

    @Override
    public int unlink(String path) {
        try {
            vfs.unlink(caller(), path);
            return 0;
        } catch (Exception e) {
            return errno(e, "unlink", path);
        }
    }

    /** libfuse 2 passes no flags: renameat2(RENAME_NOREPLACE) gets EINVAL from the kernel and tools fall back. */
    @Override
    public int rename(String oldpath, String newpath) {
        try {
            vfs.rename(caller(), oldpath, newpath, false);
            return 0;
        } catch (Exception e) {
            return errno(e, "rename", oldpath);
        }
    }

    @Override
    public int symlink(String target, String linkpath) {
        try {
            vfs.symlink(caller(), target, linkpath);
            return 0;
        } catch (Exception e) {
            return errno(e, "symlink", linkpath);
        }
    }

    @Override
    public int readlink(String path, Pointer buf, long size) {
        try {
            byte[] t = vfs.readlink(caller(), path).getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(t.length, size - 1); // libfuse wants it NUL-terminated, cut to fit
            buf.put(0, t, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        } catch (Exception e) {
            return errno(e, "readlink", path);
        }
    }

    @Override
    public int link(String oldpath, String newpath) {
        return -Errno.EPERM; // no hard links in GrainFS
    }

    @Override
    public int mknod(String path, long mode, long rdev) {
        if ((mode & S_IFMT) != S_IFREG) {
            return -Errno.EPERM; // no device files, FIFOs or sockets
        }
        try {
            vfs.release(vfs.create(caller(), path, (int) mode, dev.grainfs.core.vfs.OpenFlags.O_EXCL));
            return 0;
        } catch (Exception e) {
            return errno(e, "mknod", path);
        }
    }

    @Override
    public int chmod(String path, long mode) {
        try {
            vfs.chmod(caller(), path, (int) mode);
            return 0;
        } catch (Exception e) {
            return errno(e, "chmod", path);
        }
    }

    /** uid or gid (uid_t)-1 leaves it unchanged: (int) turns it into -1. */
    @Override
    public int chown(String path, long uid, long gid) {
        try {
            vfs.chown(caller(), path, (int) uid, (int) gid);
            return 0;
        } catch (Exception e) {
            return errno(e, "chown", path);
        }
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        try {
            vfs.utimens(caller(), path, time(timespec[0]), time(timespec[1]));
            return 0;
        } catch (Exception e) {
            return errno(e, "utimens", path);
        }
    }

    private static TimeSpec time(Timespec t) {
        return new TimeSpec(t.tv_sec.get(), t.tv_nsec.longValue());
    }

    @Override
    public int truncate(String path, long size) {
        try {
            vfs.truncate(caller(), path, size);
            return 0;
        } catch (Exception e) {
            return errno(e, "truncate", path);
        }
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        try {
            vfs.ftruncate(fi.fh.get(), size);
            return 0;
        } catch (Exception e) {
            return errno(e, "ftruncate", path);
        }
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        try {
            Stats.fill(stbuf, vfs.statfs());
            return 0;
        } catch (Exception e) {
            return errno(e, "statfs", path);
        }
    }

    @Override
    public int access(String path, int mask) {
        try {
            vfs.access(caller(), path, mask);
            return 0;
        } catch (Exception e) {
            return errno(e, "access", path);
        }
    }

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        try {
            fi.fh.set(vfs.create(caller(), path, (int) mode, fi.flags.get()));
            return 0;
        } catch (Exception e) {
            return errno(e, "create", path);
        }
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        try {
            fi.fh.set(vfs.open(caller(), path, fi.flags.get()));
            return 0;
        } catch (Exception e) {
            return errno(e, "open", path);
        }
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        try {
            return vfs.read(fi.fh.get(), offset, direct(buf, size));
        } catch (Exception e) {
            return errno(e, "read", path);
        }
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        try {
            vfs.write(fi.fh.get(), offset, direct(buf, size));
            return (int) size;
        } catch (Exception e) {
            return errno(e, "write", path);
        }
    }

    /** The kernel's buffer as a ByteBuffer, without a copy; valid only during the call. */
    private static ByteBuffer direct(Pointer p, long size) {
        return MemoryIO.getInstance().newDirectByteBuffer(p.address(), (int) size);
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        try {
            vfs.flush(fi.fh.get());
            return 0;
        } catch (Exception e) {
            return errno(e, "flush", path);
        }
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        try {
            vfs.fsync(fi.fh.get());
            return 0;
        } catch (Exception e) {
            return errno(e, "fsync", path);
        }
    }

    /** Directory changes are durable at the master before they are answered. */
    @Override
    public int fsyncdir(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        try {
            vfs.release(fi.fh.get());
            return 0;
        } catch (Exception e) {
            return errno(e, "release", path);
        }
    }

    @Override
    public void destroy(Pointer initResult) {
        vfs.close();
    }

    /** -errno for a failure; I/O errors and surprises are logged, ordinary POSIX errors are not. */
    private static int errno(Exception e, String op, String path) {
        if (e instanceof GrainException g) {
            if (g.errno() == Errno.EIO) {
                log.warn("{} {}: {}", op, path, g.getMessage());
            } else {
                log.debug("{} {}: {}", op, path, g.getMessage());
            }
            return -g.errno();
        }
        log.error("{} {} failed", op, path, e);
        return -Errno.EIO;
    }
}
