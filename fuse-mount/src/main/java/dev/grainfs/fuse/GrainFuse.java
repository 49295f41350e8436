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
 * Every operation goes through {@link #call}, which times it and counts its errno for the mount's
 * metrics. Called from libfuse's worker threads, concurrently.
 */
final class GrainFuse extends FuseStubFS {
    private static final Logger log = LoggerFactory.getLogger(GrainFuse.class);
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private final Vfs vfs;
    private final MountMetrics metrics;
    private final Callers callers = new Callers();
    private final CountDownLatch live = new CountDownLatch(1);

    GrainFuse(Vfs vfs, MountMetrics metrics) {
        this.vfs = vfs;
        this.metrics = metrics;
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
        return call("getattr", path, () -> {
            Stats.fill(stat, vfs.getattr(caller(), path));
            return 0;
        });
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        return call("fgetattr", path, () -> {
            Stats.fill(stat, vfs.fgetattr(fi.fh.get()));
            return 0;
        });
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        return call("readdir", path, () -> {
            var entries = vfs.readdir(caller(), path);
            fill(filler, buf, ".");
            fill(filler, buf, "..");
            for (DirEntry e : entries) {
                if (fill(filler, buf, e.name()) != 0) {
                    break;
                }
            }
            return 0;
        });
    }

    private static int fill(FuseFillDir filler, Pointer buf, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        byte[] z = java.util.Arrays.copyOf(b, b.length + 1); // NUL-terminated for libfuse
        return filler.apply(buf, ByteBuffer.wrap(z), null, 0);
    }

    @Override
    public int mkdir(String path, long mode) {
        return call("mkdir", path, () -> {
            vfs.mkdir(caller(), path, (int) mode);
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call("rmdir", path, () -> {
            vfs.rmdir(caller(), path);
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return call("unlink", path, () -> {
            vfs.unlink(caller(), path);
            return 0;
        });
    }

    /** libfuse 2 passes no flags: renameat2(RENAME_NOREPLACE) gets EINVAL from the kernel and tools fall back. */
    @Override
    public int rename(String oldpath, String newpath) {
        return call("rename", oldpath, () -> {
            vfs.rename(caller(), oldpath, newpath, false);
            return 0;
        });
    }

    @Override
    public int symlink(String target, String linkpath) {
        return call("symlink", linkpath, () -> {
            vfs.symlink(caller(), target, linkpath);
            return 0;
        });
    }

    @Override
    public int readlink(String path, Pointer buf, long size) {
        return call("readlink", path, () -> {
            byte[] t = vfs.readlink(caller(), path).getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(t.length, size - 1); // libfuse wants it NUL-terminated, cut to fit
            buf.put(0, t, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        });
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
        return call("mknod", path, () -> {
            vfs.release(vfs.create(caller(), path, (int) mode, dev.grainfs.core.vfs.OpenFlags.O_EXCL));
            return 0;
        });
    }

    @Override
    public int chmod(String path, long mode) {
        return call("chmod", path, () -> {
            vfs.chmod(caller(), path, (int) mode);
            return 0;
        });
    }

    /** uid or gid (uid_t)-1 leaves it unchanged: (int) turns it into -1. */
    @Override
    public int chown(String path, long uid, long gid) {
        return call("chown", path, () -> {
            vfs.chown(caller(), path, (int) uid, (int) gid);
            return 0;
        });
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return call("utimens", path, () -> {
            vfs.utimens(caller(), path, time(timespec[0]), time(timespec[1]));
            return 0;
        });
    }

    private static TimeSpec time(Timespec t) {
        return new TimeSpec(t.tv_sec.get(), t.tv_nsec.longValue());
    }

    @Override
    public int truncate(String path, long size) {
        return call("truncate", path, () -> {
            vfs.truncate(caller(), path, size);
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        return call("ftruncate", path, () -> {
            vfs.ftruncate(fi.fh.get(), size);
            return 0;
        });
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        return call("statfs", path, () -> {
            Stats.fill(stbuf, vfs.statfs());
            return 0;
        });
    }

    @Override
    public int access(String path, int mask) {
        return call("access", path, () -> {
            vfs.access(caller(), path, mask);
            return 0;
        });
    }

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        return call("create", path, () -> {
            fi.fh.set(vfs.create(caller(), path, (int) mode, fi.flags.get()));
            return 0;
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return call("open", path, () -> {
            fi.fh.set(vfs.open(caller(), path, fi.flags.get()));
            return 0;
        });
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return call("read", path, () -> {
            int n = vfs.read(fi.fh.get(), offset, direct(buf, size));
            metrics.read(n);
            return n;
        });
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return call("write", path, () -> {
            vfs.write(fi.fh.get(), offset, direct(buf, size));
            metrics.written(size);
            return (int) size;
        });
    }

    /** The kernel's buffer as a ByteBuffer, without a copy; valid only during the call. */
    private static ByteBuffer direct(Pointer p, long size) {
        return MemoryIO.getInstance().newDirectByteBuffer(p.address(), (int) size);
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return call("flush", path, () -> {
            vfs.flush(fi.fh.get());
            return 0;
        });
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return call("fsync", path, () -> {
            vfs.fsync(fi.fh.get());
            return 0;
        });
    }

    /** Directory changes are durable at the master before they are answered. */
    @Override
    public int fsyncdir(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return call("release", path, () -> {
            vfs.release(fi.fh.get());
            return 0;
        });
    }

    @Override
    public void destroy(Pointer initResult) {
        vfs.close();
    }

    /** One operation's body: 0, a byte count, or -errno; a GrainException carries the errno to answer. */
    @FunctionalInterface
    private interface Op {
        int run() throws Exception;
    }

    /** Runs an operation, turns its failure into -errno, and tells the metrics what it answered and how fast. */
    private int call(String op, String path, Op body) {
        long start = System.nanoTime();
        int result;
        try {
            result = body.run();
        } catch (Exception e) {
            result = errno(e, op, path);
        }
        metrics.answered(op, result, System.nanoTime() - start);
        return result;
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
