"""Writes a deterministic tree of small files for the FUSE copy tests.

usage: make_tree.py DIR FILES
Nested directories, file sizes from 0 to 16 KiB, a few modes, relative symlinks (some dangling),
empty directories and mtimes in the past, so cp -a and tar have something to preserve.
"""
import os
import random
import sys

root, count = sys.argv[1], int(sys.argv[2])
rnd = random.Random(4)
dirs = [root]
os.makedirs(root, exist_ok=True)
for i in range(count):
    if rnd.random() < 0.06:
        d = os.path.join(rnd.choice(dirs), f"dir{i}")
        os.mkdir(d)
        dirs.append(d)
    parent = rnd.choice(dirs)
    path = os.path.join(parent, f"f{i}.dat")
    size = rnd.choice([0, 1, 100, 511, 4096, 4097, rnd.randrange(16384)])
    with open(path, "wb") as f:
        f.write(rnd.randbytes(size))
    os.chmod(path, rnd.choice([0o644, 0o600, 0o755, 0o444]))
    t = 1_600_000_000 + rnd.randrange(50_000_000)
    os.utime(path, (t, t))
    if rnd.random() < 0.03:
        link = os.path.join(parent, f"l{i}")
        os.symlink(rnd.choice([f"f{i}.dat", "../nowhere", "sub/missing"]), link)
for d in dirs[:5]:
    os.mkdir(os.path.join(d, "empty"))
for d in reversed(dirs):
    t = 1_600_000_000 + rnd.randrange(50_000_000)
    os.utime(d, (t, t))
