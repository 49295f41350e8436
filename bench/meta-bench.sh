#!/usr/bin/env bash
# Metadata benchmark of the master (docs/benchmarks.md, "Metadata"):
#   1. ops/s of mkdir, create, stat, list, rename, delete from many client threads against a running
#      `grainfs master` process over the real protocol;
#   2. master heap bytes per file with N one-chunk files (default 1,000,000), built through apply();
#   3. restart time with those files, from a checkpoint and from the operation log alone.
# Also 1b: the master's services called in-process (no RPC), the way HDFS's NNThroughputBenchmark works.
# With --shadow, 1 runs with a shadow master process attached: every mutation is answered only once the
# shadow has its log record too (the cost of synchronous shadowing).
# Usage: bench/meta-bench.sh [--ops N] [--threads N] [--clients N] [--files N] [--work DIR] [--skip-ops] [--skip-image]
#                            [--shadow]
# Builds with the Maven reactor offline (never `install`), writes under --work (default a temp dir).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

ops=100000 threads=32 clients=8 files=1000000 work="" skip_ops=0 skip_image=0 shadow=0
while [ $# -gt 0 ]; do
  case "$1" in
    --ops) ops=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --skip-ops) skip_ops=1; shift ;;
    --skip-image) skip_image=1; shift ;;
    --shadow) shadow=1; shift ;;
    *) echo "meta-bench: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$work" ] || work=$(mktemp -d /tmp/meta-bench.XXXXXX)
mkdir -p "$work"

echo "== building (reactor, offline)" >&2
./mvnw -q -o -pl dist -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/meta-bench.classpath -Dmdep.includeScope=test >&2
cp="dist/target/test-classes:dist/target/classes:$(cat dist/target/meta-bench.classpath)"
java=(java -XX:+UseParallelGC)

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

if [ "$skip_ops" = 0 ]; then
  rm -rf "$work/meta"
  "${java[@]}" -Xms2g -Xmx2g -cp "$cp" dev.grainfs.dist.Main master --meta-dir "$work/meta" --port 0 \
      > "$work/master.out" 2> "$work/master.log" &
  master_pid=$!
  trap 'kill $master_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do
    grep -q '^listening on ' "$work/master.out" 2>/dev/null && break
    sleep 0.1
  done
  addr=$(sed -n 's/^listening on //p' "$work/master.out")
  [ -n "$addr" ] || { echo "meta-bench: master did not start; see $work/master.log" >&2; exit 1; }
  shadow_pid=""
  if [ "$shadow" = 1 ]; then
    rm -rf "$work/shadow"
    "${java[@]}" -Xms2g -Xmx2g -cp "$cp" dev.grainfs.dist.Main shadow --master "$addr" --meta-dir "$work/shadow" \
        --port 0 > "$work/shadow.out" 2> "$work/shadow.log" &
    shadow_pid=$!
    trap 'kill $master_pid $shadow_pid 2>/dev/null || true' EXIT
    for _ in $(seq 1 600); do
      grep -q 'is synchronous' "$work/master.log" 2>/dev/null && break
      sleep 0.1
    done
    grep -q 'is synchronous' "$work/master.log" || { echo "meta-bench: the shadow did not attach; see $work/shadow.log" >&2; exit 1; }
    echo "== shadow master attached (synchronous): $(sed -n 's/^listening on //p' "$work/shadow.out")"
  fi
  echo "== 1. metadata ops/s (master process at $addr, meta dir $work/meta)"
  "${java[@]}" -Xmx1g -cp "$cp" dev.grainfs.dist.bench.MetaBench ops --master "$addr" \
      --ops "$ops" --threads "$threads" --clients "$clients" --master-pid "$master_pid"
  kill "$master_pid" $shadow_pid; wait "$master_pid" $shadow_pid || true
  trap - EXIT
  echo "== 1b. the same operations called in-process (no RPC), as HDFS's NNThroughputBenchmark does"
  rm -rf "$work/direct"
  "${java[@]}" -Xms1g -Xmx1g -cp "$cp" dev.grainfs.dist.bench.MetaBench direct "$work/direct" \
      --ops "$ops" --threads "$threads"
fi

if [ "$skip_image" = 0 ]; then
  rm -rf "$work/image"
  echo "== 2. heap per file, $files one-chunk files"
  "${java[@]}" -Xmx4g -cp "$cp" dev.grainfs.dist.bench.MetaBench populate "$work/image" --files "$files"
  # a master runs with -Xms = -Xmx (docs/operations.md): a small starting heap costs seconds of GC here
  echo "== 3. restart with $files files from a checkpoint"
  "${java[@]}" -Xms2g -Xmx2g -cp "$cp" dev.grainfs.dist.bench.MetaBench restart "$work/image/ckpt"
  echo "== 3. restart with $files files from the operation log alone"
  "${java[@]}" -Xms2g -Xmx2g -cp "$cp" dev.grainfs.dist.bench.MetaBench restart "$work/image/log"
fi
echo "== done; files under $work"
