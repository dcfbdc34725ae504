#!/usr/bin/env bash
# Runs the 784-256-128-10 model in PyTorch, in ONNX Runtime (predict only, through its Java API in the same JMH
# run as Lanewise) and in Lanewise on this machine and prints the ratios.
#   bench/compare/compare.sh [OUT_DIR]      (default: bench/results/compare)
# Needs Debian's PyTorch with OpenBLAS: apt-get install python3-torch libopenblas0-pthread.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/bench/results/compare}"
mkdir -p "$out"

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "compare: PyTorch not found for /usr/bin/python3. Install: apt-get install python3-torch libopenblas0-pthread" >&2
  exit 1
fi
if ! ls /usr/lib/x86_64-linux-gnu/libopenblas*.so* >/dev/null 2>&1; then
  echo "compare: libopenblas0-pthread is missing; Debian's torch would use the reference BLAS (20x slower)." >&2
  echo "         apt-get install libopenblas0-pthread" >&2
  exit 1
fi

: > "$out/torch.jsonl"
# One thread; then two, with passive OpenMP waiting (the default spins and collapses on 2 cores).
OMP_NUM_THREADS=1 /usr/bin/python3 "$here/torch_mlp.py" --threads 1 --predict >> "$out/torch.jsonl"
OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive /usr/bin/python3 "$here/torch_mlp.py" --threads 2 >> "$out/torch.jsonl"

# ONNX Runtime's model (and the same weights as safetensors, for OnnxRuntimeBenchmark's agreement check).
/usr/bin/python3 "$here/export_onnx.py" "$root/bench/target/onnx"

"$root/lanewise" bench 'TrainStepBenchmark|PredictBenchmark|OnnxRuntimeBenchmark' -prof gc -rf json -rff "$out/lanewise.json" > "$out/lanewise.txt"

/usr/bin/python3 "$here/ratios.py" "$out/torch.jsonl" "$out/lanewise.json" | tee "$out/ratios.md"
