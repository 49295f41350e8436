"""Metadata micro-benchmark for bench/fuse-bench.sh: prints "name value unit" lines.

usage: fuse_meta.py DIR FILES
create (open O_CREAT|O_EXCL + 1 KiB write + close), create of empty files, stat (cold: after the
attribute caches expired; warm: right after ls -l listed the directory), ls -l of the directory,
unlink.
"""
import os
import subprocess
import sys
import time

d, n = sys.argv[1], int(sys.argv[2])
data = b"x" * 1024
files = os.path.join(d, "files")
empty = os.path.join(d, "empty")
os.makedirs(files)
os.makedirs(empty)


def rate(name, count, t0):
    dt = time.perf_counter() - t0
    print(f"{name} {count / dt:.0f} ops/s", flush=True)


t = time.perf_counter()
for i in range(n):
    fd = os.open(f"{files}/f{i:05d}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    os.write(fd, data)
    os.close(fd)
rate("create_1k", n, t)

t = time.perf_counter()
for i in range(n):
    os.close(os.open(f"{empty}/e{i:05d}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
rate("create_empty", n, t)

time.sleep(2.5)  # let every attribute cache expire (1 s in the mount's defaults)
t = time.perf_counter()
for i in range(n):
    os.stat(f"{files}/f{i:05d}")
rate("stat_cold", n, t)

time.sleep(2.5)
t = time.perf_counter()
subprocess.run(["ls", "-l", files], stdout=subprocess.DEVNULL, check=True)
print(f"ls_l_ms {(time.perf_counter() - t) * 1000:.0f} ms", flush=True)
t = time.perf_counter()
for i in range(n):
    os.stat(f"{files}/f{i:05d}")
rate("stat_warm", n, t)

t = time.perf_counter()
for i in range(n):
    os.unlink(f"{files}/f{i:05d}")
rate("unlink", n, t)
for i in range(n):
    os.unlink(f"{empty}/e{i:05d}")
os.rmdir(files)
os.rmdir(empty)
