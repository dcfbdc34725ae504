#!/usr/bin/env bash
# Arms of a comparison in alternating single JMH forks: ROUNDS rounds, each one fork per arm, in order, so that a
# drift of the machine over minutes (these VMs' forks spread by ±15%) reaches every arm alike. Compare medians.
#   bench/paired.sh ROUNDS ISA BENCHMARKS ARM... [-- JMH_ARGS...]
# ISA: as ./lanewise bench --isa (avx512, avx2, sse, or "default"). BENCHMARKS: JMH's regular expression.
# ARM: LABEL[@JAR]:JVM_ARGS, the benchmarks jar (default $JAR, else bench/target/benchmarks.jar) and flags appended
# to the fork's JVM. JMH_ARGS replace the default "-wi 4 -w 2s -i 5 -r 1s" (-f 1 is always added).
# Peers run inside each fork as JMH parameters or benchmarks (-p impl=lanewise,openblas; 'PredictBenchmark|Onnx...').
# Prints a line per result row (secondary results too): round, label, benchmark, parameters, score, unit.
# e.g. bench/paired.sh 5 avx512 'GemmBenchmark.multiply$' "base:" "alt:-Dlanewise.exp=true" -- \
#        -p impl=lanewise,openblas -p shape=128x128x10 -p op=TN -wi 4 -w 2s -i 5 -r 1s
#      JAR=/tmp/new.jar bench/paired.sh 4 avx2 'TrainStepBenchmark.step$' "old@/tmp/old.jar:" "new:" -- \
#        -p batch=128 -p threads=1 -p optimizer=sgd -wi 4 -w 3s -i 4 -r 1s
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 4 ]; then
  sed -n '2,13p' "${BASH_SOURCE[0]}" >&2
  exit 2
fi
rounds=$1; isa=$2; benchmarks=$3; shift 3
arms=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do arms+=("$1"); shift; done
[ $# -gt 0 ] && shift
jmh=("$@")
has_timing=0
for a in "${jmh[@]}"; do case $a in -wi|-w|-i|-r) has_timing=1 ;; esac; done
[ $has_timing = 0 ] && jmh+=(-wi 4 -w 2s -i 5 -r 1s)
isa_args=(); [ "$isa" != default ] && isa_args=(--isa "$isa")
csv=$(mktemp); trap 'rm -f "$csv" "$csv.log"' EXIT
for r in $(seq "$rounds"); do
  for arm in "${arms[@]}"; do
    name=${arm%%:*}; args=${arm#*:}
    label=${name%%@*}; jar=${JAR:-}
    [ "$name" != "$label" ] && jar=${name#*@}
    extra=(); [ -n "$args" ] && extra=(-jvmArgsAppend "$args")
    rm -f "$csv"
    if ! "$root/lanewise" bench "${isa_args[@]}" ${jar:+--jar="$jar"} "$benchmarks" -f 1 "${jmh[@]}" "${extra[@]}" \
        -rf csv -rff "$csv" > "$csv.log" 2>&1 || [ ! -s "$csv" ]; then
      echo "$r $label FAILED (last lines of its output below)"; tail -5 "$csv.log" | sed 's/^/  /'
      continue
    fi
    # JMH's CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: p",...
    awk -F, -v r="$r" -v l="$label" 'NR == 1 { for (i = 8; i <= NF; i++) { h = $i; gsub(/"|\r|Param: /, "", h); p[i] = h }; next }
      { gsub(/"|\r/, ""); b = $1; sub(/^([a-z0-9_]+\.)+/, "", b); ps = ""
        for (i = 8; i <= NF; i++) if ($i != "") ps = ps (ps == "" ? "" : ",") p[i] "=" $i
        printf "%s %s %s %s %s %s\n", r, l, b, (ps == "" ? "-" : ps), $5, $7 }' "$csv"
  done
done
