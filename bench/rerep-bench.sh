#!/bin/sh
# Re-replication benchmark (docs/benchmarks.md, "Re-replication"): four chunkserver processes, MIB MiB written at
# replication 3, one chunkserver SIGKILLed, time until every chunk has 3 live replicas again, beside this
# machine's disk (dd) and loopback TCP throughput measured in the same run. Runs twice: with the product's
# re-replication caps (--copy-bandwidth 256m, 4 copies per server) and with them raised (unbounded, 16).
#   bench/rerep-bench.sh [MIB]     default 5500: about 4 GiB on the killed server (3/4 of all data)
# Needs 3 x MIB of free space in $TMPDIR (default /tmp) plus 6 GiB to spare.
set -eu
cd "$(dirname "$0")/.."
mib=${1:-5500}
tmp=${TMPDIR:-/tmp}
need=$((mib * 3 + 6 * 1024))
avail=$(df -Pm "$tmp" | awk 'NR == 2 { print $4 }')
if [ "$avail" -lt "$need" ]; then
  echo "rerep-bench: $mib MiB at replication 3 needs $need MiB free in $tmp; $avail MiB are" >&2
  exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for caps in "256m 4" "0 16"; do
  set -- $caps
  ./mvnw -q -o -pl dist -am test -Dtest=ReReplicationProcessTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dgrainfs.rerep.mib="$mib" -Dgrainfs.rerep.copyBandwidth="$1" -Dgrainfs.rerep.maxCopies="$2" >"$out" 2>&1 || {
    tail -n 40 "$out" >&2
    exit 1
  }
  cat "$out" dist/target/surefire-reports/*ReReplicationProcessTest-output.txt 2>/dev/null | grep '^RE-REPLICATION' | sort -u
done
