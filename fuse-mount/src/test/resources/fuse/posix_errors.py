"""Makes POSIX calls that must fail and prints the errno each one gets, one "case<TAB>ERRNO" line each.

usage: posix_errors.py setup DIR | posix_errors.py root DIR OTHER_FS_DIR | posix_errors.py user DIR OTHER_FS_DIR
"setup" (as root) builds the fixtures; "root" runs the calls root can get wrong; "user" runs the
permission cases and is meant to run as an unprivileged user (nobody). The same script runs on a
local disk and on the mount, and the test compares the two.
"""
import ctypes
import errno
import os
import sys

mode, d = sys.argv[1], sys.argv[2]
other = sys.argv[3] if len(sys.argv) > 3 else None
LONG = "n" * 256
libc = ctypes.CDLL(None, use_errno=True)


def write(path, data, perm):
    with open(path, "w") as f:
        f.write(data)
    os.chmod(path, perm)


def setup():
    os.chmod(d, 0o755)
    os.mkdir(f"{d}/dir")
    write(f"{d}/dir/file", "x", 0o644)
    os.mkdir(f"{d}/full")
    write(f"{d}/full/x", "", 0o644)
    os.mkdir(f"{d}/empty")
    write(f"{d}/file", "data", 0o644)
    os.symlink("file", f"{d}/link")
    os.symlink("loop2", f"{d}/loop1")
    os.symlink("loop1", f"{d}/loop2")
    os.mkdir(f"{d}/rootdir", 0o755)
    write(f"{d}/rootdir/f", "", 0o644)
    write(f"{d}/secret", "s", 0o600)
    write(f"{d}/public", "p", 0o644)
    os.mkdir(f"{d}/closed")
    os.chmod(f"{d}/closed", 0o700)
    write(f"{d}/closed/f", "", 0o644)
    os.mkdir(f"{d}/sticky")
    os.chmod(f"{d}/sticky", 0o1777)
    write(f"{d}/sticky/roots", "", 0o666)


def ftruncate_readonly():
    fd = os.open(f"{d}/file", os.O_RDONLY)
    try:
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def c_access(path, how):
    if libc.access(path.encode(), how) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


ROOT = [
    ("open(O_RDONLY) of a missing file", "open_missing", lambda: os.open(f"{d}/missing", os.O_RDONLY)),
    ("open() below a missing directory", "open_missing_dir", lambda: os.open(f"{d}/nodir/x", os.O_RDONLY)),
    ("stat() of a missing name", "stat_missing", lambda: os.stat(f"{d}/missing")),
    ("unlink() of a missing name", "unlink_missing", lambda: os.unlink(f"{d}/missing")),
    ("rmdir() of a missing name", "rmdir_missing", lambda: os.rmdir(f"{d}/missing")),
    ("rename() of a missing name", "rename_missing", lambda: os.rename(f"{d}/missing", f"{d}/x")),
    ("readlink() of a missing name", "readlink_missing", lambda: os.readlink(f"{d}/missing")),
    ("chmod() of a missing name", "chmod_missing", lambda: os.chmod(f"{d}/missing", 0o600)),
    ("mkdir() of an existing directory", "mkdir_existing_dir", lambda: os.mkdir(f"{d}/dir")),
    ("mkdir() over an existing file", "mkdir_existing_file", lambda: os.mkdir(f"{d}/file")),
    ("open(O_CREAT|O_EXCL) of an existing file", "create_excl_existing",
     lambda: os.open(f"{d}/file", os.O_CREAT | os.O_EXCL | os.O_WRONLY)),
    ("symlink() over an existing name", "symlink_existing", lambda: os.symlink("x", f"{d}/file")),
    ("open() through a file as if a directory", "open_through_file", lambda: os.open(f"{d}/file/x", os.O_RDONLY)),
    ("mkdir() below a file", "mkdir_under_file", lambda: os.mkdir(f"{d}/file/x")),
    ("rmdir() of a file", "rmdir_file", lambda: os.rmdir(f"{d}/file")),
    ("opendir() of a file", "opendir_file", lambda: os.listdir(f"{d}/file")),
    ("open(O_DIRECTORY) of a file", "open_directory_flag_file",
     lambda: os.open(f"{d}/file", os.O_RDONLY | os.O_DIRECTORY)),
    ("rename() of a directory over a file", "rename_dir_over_file", lambda: os.rename(f"{d}/empty", f"{d}/file")),
    ("unlink() of a directory", "unlink_dir", lambda: os.unlink(f"{d}/dir")),
    ("open(O_WRONLY) of a directory", "open_dir_write", lambda: os.open(f"{d}/dir", os.O_WRONLY)),
    ("rename() of a file over a directory", "rename_file_over_dir", lambda: os.rename(f"{d}/file", f"{d}/empty")),
    ("rmdir() of a non-empty directory", "rmdir_nonempty", lambda: os.rmdir(f"{d}/full")),
    ("rename() of a directory over a non-empty one", "rename_dir_over_nonempty",
     lambda: os.rename(f"{d}/empty", f"{d}/full")),
    ("rename() of a directory into itself", "rename_into_itself", lambda: os.rename(f"{d}/full", f"{d}/full/sub")),
    ("rmdir() of \".\"", "rmdir_dot", lambda: os.rmdir(f"{d}/dir/.")),
    ("readlink() of a regular file", "readlink_file", lambda: os.readlink(f"{d}/file")),
    ("truncate() to a negative size", "truncate_negative", lambda: os.truncate(f"{d}/file", -1)),
    ("ftruncate() of a read-only descriptor", "ftruncate_readonly", ftruncate_readonly),
    ("open(O_CREAT) of a 256-byte name", "create_name_too_long",
     lambda: os.open(f"{d}/{LONG}", os.O_CREAT | os.O_WRONLY)),
    ("stat() of a 256-byte name", "stat_name_too_long", lambda: os.stat(f"{d}/{LONG}")),
    ("mkdir() of a 256-byte name", "mkdir_name_too_long", lambda: os.mkdir(f"{d}/{LONG}")),
    ("open() of a symlink loop", "symlink_loop", lambda: os.open(f"{d}/loop1", os.O_RDONLY)),
    ("rename() to another file system", "rename_cross_device", lambda: os.rename(f"{d}/file", f"{other}/moved")),
    ("link() (hard link)", "hard_link", lambda: os.link(f"{d}/file", f"{d}/hard")),
    ("mkfifo()", "mkfifo", lambda: os.mkfifo(f"{d}/fifo")),
    ("setxattr(user.*)", "setxattr", lambda: os.setxattr(f"{d}/file", "user.a", b"1")),
    ("getxattr() of an absent attribute", "getxattr_absent", lambda: os.getxattr(f"{d}/file", "user.none")),
]

USER = [
    ("open(O_RDONLY) of a 0600 file of root", "read_other_0600", lambda: os.open(f"{d}/secret", os.O_RDONLY)),
    ("open(O_WRONLY) of a 0644 file of root", "write_other_0644", lambda: os.open(f"{d}/public", os.O_WRONLY)),
    ("open(O_CREAT) in a 0755 directory of root", "create_in_other_dir",
     lambda: os.open(f"{d}/rootdir/new", os.O_CREAT | os.O_WRONLY)),
    ("mkdir() in a 0755 directory of root", "mkdir_in_other_dir", lambda: os.mkdir(f"{d}/rootdir/new")),
    ("unlink() in a 0755 directory of root", "unlink_in_other_dir", lambda: os.unlink(f"{d}/rootdir/f")),
    ("rename() in a 0755 directory of root", "rename_in_other_dir",
     lambda: os.rename(f"{d}/rootdir/f", f"{d}/rootdir/g")),
    ("opendir() of a 0700 directory of root", "list_closed_dir", lambda: os.listdir(f"{d}/closed")),
    ("stat() through a 0700 directory of root", "stat_through_closed_dir", lambda: os.stat(f"{d}/closed/f")),
    ("chmod() of another user's file", "chmod_not_owner", lambda: os.chmod(f"{d}/public", 0o777)),
    ("chown() of another user's file", "chown_not_owner", lambda: os.chown(f"{d}/public", 65534, -1)),
    ("utimes() to given times, not owner", "utime_explicit_not_owner", lambda: os.utime(f"{d}/public", (1, 1))),
    ("utimes() to now, no write permission", "utime_now_no_write", lambda: os.utime(f"{d}/public")),
    ("unlink() of root's file in a sticky directory", "unlink_sticky_other", lambda: os.unlink(f"{d}/sticky/roots")),
    ("rename() of root's file in a sticky directory", "rename_sticky_other",
     lambda: os.rename(f"{d}/sticky/roots", f"{d}/sticky/mine")),
    ("truncate() without write permission", "truncate_no_write", lambda: os.truncate(f"{d}/public", 0)),
    ("access(W_OK) without write permission", "access_w", lambda: c_access(f"{d}/public", os.W_OK)),
    ("access(X_OK) of a 0644 file", "access_x", lambda: c_access(f"{d}/public", os.X_OK)),
]


def run(cases):
    for call, name, fn in cases:
        try:
            fn()
            result = "OK"
        except OSError as e:
            result = errno.errorcode.get(e.errno, str(e.errno))
        print(f"{name}\t{result}\t{call}")


if mode == "setup":
    setup()
elif mode == "root":
    run(ROOT)
elif mode == "user":
    run(USER)
else:
    sys.exit("unknown mode " + mode)
