#!/usr/bin/env bash
# FUSE mount benchmark (docs/benchmarks.md, section "FUSE mount").
#
# Starts a local cluster (master + 3 chunkservers on loopback, the MiniCluster test fixture) mounted
# through FUSE, then runs each measurement through the mount and on the local disk in the same run:
#   sequential write (dd, 1 MiB blocks, conv=fsync) and read of a SIZE file, 4 KiB random reads
#   (fio, 1 job), create/stat/unlink of FILES small files and ls -l of that directory
#   (bench/fuse_meta.py), plus the client library alone on the same cluster (no FUSE) as a baseline.
#
# usage: bench/fuse-bench.sh [--size-mib 2048] [--files 10000] [--base DIR] [-o MOUNT_OPTIONS]
#                            [--mount EXISTING_MOUNT] [--no-build]
# Needs root, FUSE (apt-get install fuse libfuse2), python3; fio for random reads.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZE_MIB=2048
FILES=10000
BASE=""
OPTS=""
MOUNT=""
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) SIZE_MIB=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --base) BASE=$2; shift 2 ;;
    -o) OPTS=$2; shift 2 ;;
    --mount) MOUNT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$BASE" ] || BASE=$(mktemp -d /tmp/grainfs-bench.XXXXXX)
mkdir -p "$BASE/local"
RESULTS=$BASE/results.txt
: > "$RESULTS"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  [ -n "${KEEP:-}" ] || rm -rf "$BASE/local" "$BASE/cluster"
}
trap cleanup EXIT

classpath() {
  local cp
  ./mvnw -q -o -pl fuse-mount dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$BASE/cp.txt" >/dev/null
  # our own modules from this checkout, not whatever another build installed in ~/.m2
  cp=$(tr ':' '\n' < "$BASE/cp.txt" | grep -v '/dev/grainfs/' | paste -sd:)
  echo "$ROOT/fuse-mount/target/classes:$ROOT/fuse-mount/target/test-classes:$ROOT/dfs-core/target/classes:$ROOT/daemons/target/classes:$ROOT/daemons/target/test-classes:$cp"
}

if [ -z "$MOUNT" ]; then
  [ "$BUILD" = 0 ] || ./mvnw -q -o -pl fuse-mount -am install -DskipTests
  CP=$(classpath)
  java -Xmx2g -XX:+UseParallelGC -cp "$CP" dev.grainfs.fuse.LocalMountMain "$BASE/cluster" "$BASE/mnt" \
    ${OPTS:+-o "$OPTS"} > "$BASE/mount.log" 2>&1 &
  PID=$!
  for _ in $(seq 120); do grep -q '^ready:' "$BASE/mount.log" && break; sleep 0.5; done
  grep -q '^ready:' "$BASE/mount.log" || { cat "$BASE/mount.log" >&2; exit 1; }
  MASTER=$(awk '/^ready:/ {print $2}' "$BASE/mount.log")
  MOUNT=$BASE/mnt
fi
mkdir -p "$MOUNT/bench"

now() { date +%s.%N; }
record() { echo "$1 $2 $3 $4" | tee -a "$RESULTS"; }   # where metric value unit

dd_bench() { # where dir
  local t0 t1 f=$2/seq.bin
  t0=$(now); dd if=/dev/zero of="$f" bs=1M count="$SIZE_MIB" conv=fsync status=none; t1=$(now)
  record "$1" seq_write "$(echo "$SIZE_MIB / ($t1 - $t0)" | bc -l | xargs printf %.0f)" MiB/s
  t0=$(now); dd if="$f" of=/dev/null bs=1M status=none; t1=$(now)
  record "$1" seq_read "$(echo "$SIZE_MIB / ($t1 - $t0)" | bc -l | xargs printf %.0f)" MiB/s
  if command -v fio >/dev/null; then
    record "$1" rand_read_4k "$(fio --name=rr --filename="$f" --rw=randread --bs=4k --size="${SIZE_MIB}m" \
      --runtime=20 --time_based --ioengine=psync --numjobs=1 --output-format=json 2>/dev/null \
      | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["jobs"][0]["read"]["iops"]))')" IOPS
  fi
  rm -f "$f"
}

meta_bench() { # where dir
  python3 "$ROOT/bench/fuse_meta.py" "$2/meta" "$FILES" | while read -r name value unit; do
    record "$1" "$name" "$value" "$unit"
  done
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); size ${SIZE_MIB} MiB, ${FILES} files" \
  | tee -a "$RESULTS"
dd_bench local "$BASE/local"
dd_bench mount "$MOUNT/bench"
meta_bench local "$BASE/local"
meta_bench mount "$MOUNT/bench"
if [ -n "${MASTER:-}" ]; then
  java -cp "$CP" dev.grainfs.fuse.ClientBaseline "$MASTER" /bench-client "$SIZE_MIB" "$FILES" 2>/dev/null \
    | while read -r name value unit; do record client "$name" "$value" "$unit"; done
fi
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS"

python3 - "$RESULTS" <<'EOF'
import sys
rows, order = {}, []
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    where, name, value, unit = line.split()
    if name not in rows:
        rows[name] = {"unit": unit}
        order.append(name)
    rows[name][where] = float(value)
print("\n| measurement | local disk | FUSE mount | mount / local | client library, no FUSE |")
print("|---|---|---|---|---|")
for name in order:
    r = rows[name]
    loc, mnt, cli = r.get("local"), r.get("mount"), r.get("client")
    ratio = f"{mnt / loc:.2f}" if loc and mnt is not None else ""
    fmt = lambda v: "" if v is None else f"{v:,.0f} {r['unit']}"
    print(f"| {name} | {fmt(loc)} | {fmt(mnt)} | {ratio} | {fmt(cli)} |")
EOF
