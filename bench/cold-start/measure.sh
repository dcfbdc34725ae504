#!/usr/bin/env bash
# Cold start, measured: every number from a fresh JVM. Run from the repository root; holds the CPU lock throughout.
#   bench/cold-start/measure.sh [OUT]        (default bench/results/cold-start)
# 1. the harness (io.lanewise.bench.ColdStart): Lanewise with and without SharedModel.warmUp / Trainer.warmUp,
#    ONNX Runtime beside it, each without and with an AOT cache trained on its own workload;
# 2. ./lanewise train on the digits: AOT cache off and on, warm-up 0 and the default 5 s;
# 3. further cuts: the scalar kernels, C2 only (no tiered compilation), lower compile thresholds, batch 1 only.
set -euo pipefail
out="${1:-bench/results/cold-start}"
runs="${RUNS:-5}"
rm -rf "$out"
mkdir -p "$out"
[ -f bench/target/onnx/mlp-784-256-128-10.onnx ] || bench/compare/export_onnx.py
./lanewise build
exec 9>/tmp/lanewise-cpu.lock
flock 9
{ lscpu | grep -E 'Model name|^CPU\(s\)|Flags' | sed 's/^Flags:.*\(avx512f\).*/ISA: AVX-512 (avx512f present)/'
  ./lanewise java -version 2>&1; } > "$out/machine.txt"

./lanewise java -cp bench/target/benchmarks.jar io.lanewise.bench.ColdStart --runs "$runs" --out "$out/harness" \
    > "$out/harness.txt" 2>&1

cli="$out/cli-train"
mkdir -p "$cli"
rm -rf "$cli/aot"
for r in $(seq 1 3); do
  for aot in off on; do
    for warm in 0 5; do
      LANEWISE_AOT=$aot LANEWISE_AOT_DIR="$cli/aot" ./lanewise train --no-progress --warm-up "$warm" \
          --model "$cli/model.safetensors" --chart "$cli/chart.png" > "$cli/aot-$aot-warmup-$warm-run-$r.txt" 2>&1
    done
  done
done
rm -f "$cli/model.safetensors" "$cli/chart.png"

for variant in "scalar -Dlanewise.vector=scalar" "c2-only -XX:-TieredCompilation" \
               "thresholds-0.1 -XX:CompileThresholdScaling=0.1"; do
  name="${variant%% *}"
  ./lanewise java -cp bench/target/benchmarks.jar io.lanewise.bench.ColdStart --runs 3 --subjects lanewise,lanewise-warm \
      --modes plain --flag "${variant#* }" --out "$out/cuts-$name" > "$out/cuts-$name.txt" 2>&1
done
rm -rf "$out/harness/aot" "$cli/aot"   # the caches (tens of MB each); the runs that used them are recorded
echo "done: $out"
