#!/usr/bin/env bash
# Arms of a GEMM comparison in alternating single forks, so that a drift of the machine over minutes reaches every
# arm alike: ROUNDS rounds, each one fork per arm, in order. An arm is LABEL[@JAR]:JVM_ARGS: the benchmarks jar
# (default $JAR, else bench/target/benchmarks.jar) and flags appended to each fork's; the label "ob" runs OpenBLAS
# instead of Lanewise. Prints: round, arm, op, shape, calls/s.
#   JAR=benchmarks.jar bench/results/avx2-tile/2026-12-02c/paired.sh ROUNDS ISA SHAPES OPS ARM...
# e.g. paired.sh 3 avx2 512x512x512,128x784x256 NN "base:" "alt:-Dlanewise.exp=1" "ob:"
#      paired.sh 3 avx512 512x512x512 TN "old@/tmp/old.jar:" "new@/tmp/new.jar:" "ob:"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
rounds=$1; isa=$2; shapes=$3; ops=$4; shift 4
for r in $(seq "$rounds"); do
  for arm in "$@"; do
    name=${arm%%:*}; args=${arm#*:}
    label=${name%%@*}; jar=${JAR:-}
    [ "$name" != "$label" ] && jar=${name#*@}
    impl=lanewise; [ "$label" = ob ] && impl=openblas
    extra=(); [ -n "$args" ] && extra=(-jvmArgsAppend "$args")
    "$root/lanewise" bench --isa "$isa" ${jar:+--jar="$jar"} 'GemmBenchmark.multiply$' -p impl=$impl \
      -p shape="$shapes" -p op="$ops" -f 1 -wi 4 -w 2s -i 5 -r 1s "${extra[@]}" 2>&1 |
      awk -v l="$label" -v r="$r" '/^GemmBenchmark.multiply / {print r, l, $3, $4, $7}'
  done
done
