#!/usr/bin/env bash
# Sequential write and read MiB/s of one file through the client library at replication 3, a master and
# 3 chunkservers in one JVM on loopback, beside the local disk in the same run.
#   bench/client-throughput.sh [SIZE_MIB=1024] [BASE_DIR=/tmp/grainfs-bench]
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-1024}"
base="${2:-/tmp/grainfs-bench}"
rm -rf "$base"
./mvnw -q -B -DskipTests install >&2
cp="daemons/target/classes:daemons/target/test-classes:$(ls dist/target/lib/*.jar | tr '\n' ':')"
java -Xmx2g -cp "$cp" dev.grainfs.daemons.bench.ThroughputBench "$size" "$base"
rm -rf "$base"
