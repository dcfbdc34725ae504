#!/usr/bin/env bash
# The Fashion-MNIST recipe (784-256-128-10, ReLU, Adam 1e-3, batch 128, 10 epochs, 1 thread) in Lanewise and
# in PyTorch, one seed after the other, alternating the two so both see the same machine; prints a markdown
# table of test accuracy and time per epoch per seed, with the means.
#   [THREADS=N] bench/compare/fashion.sh [OUT_DIR] [SEED ...]
#   (defaults: 1 thread, bench/results/fashion-mnist/threads-N, seeds 42 1 2 3 4)
# Needs dataset-fashion-mnist, python3-torch and libopenblas0-pthread from Debian.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
threads="${THREADS:-1}"
out="${1:-$root/bench/results/fashion-mnist/threads-$threads}"
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(42 1 2 3 4)
mkdir -p "$out"
/usr/bin/python3 -c 'import torch' 2>/dev/null \
  || { echo "fashion: PyTorch not found for /usr/bin/python3: apt-get install python3-torch libopenblas0-pthread" >&2; exit 1; }

"$root/lanewise" build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rows=()
for seed in "${seeds[@]}"; do
  # A cold JVM with no warm-up and no AOT cache, as PyTorch starts: the times per epoch include the JIT's warm-up.
  LANEWISE_AOT=off "$root/lanewise" train --data fashion-mnist --layers 256,128 --batch 128 --epochs 10 --seed "$seed" \
      --threads "$threads" --no-progress --warm-up 0 \
      --model "$work/model.safetensors" --chart "$out/lanewise-fashion-mnist-seed-$seed.png" > "$out/lanewise-seed-$seed.txt"
  # passive OpenMP waiting, as in compare.sh: the default spins and collapses on 2 cores
  OMP_NUM_THREADS="$threads" OMP_WAIT_POLICY=passive /usr/bin/python3 "$here/torch_fashion.py" --seed "$seed" \
      --threads "$threads" > "$out/pytorch-seed-$seed.txt"
  rows+=("$seed")
done
/usr/bin/python3 "$here/fashion_table.py" "$out" "${rows[@]}" | tee "$out/seeds.md"
