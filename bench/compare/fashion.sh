#!/usr/bin/env bash
# The Fashion-MNIST recipe (784-256-128-10, ReLU, Adam 1e-3, batch 128, 10 epochs, 1 thread) in Lanewise and
# in PyTorch, one seed after the other, alternating the two so both see the same machine; prints a markdown
# table of test accuracy and time per epoch per seed, with the means.
#   bench/compare/fashion.sh [OUT_DIR] [SEED ...]   (default: bench/results/fashion-mnist, seeds 42 1 2 3 4)
# Needs dataset-fashion-mnist, python3-torch and libopenblas0-pthread from Debian.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/bench/results/fashion-mnist}"
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
  "$root/lanewise" train --data fashion-mnist --layers 256,128 --batch 128 --epochs 10 --seed "$seed" --no-progress \
      --model "$work/model.safetensors" --chart "$out/lanewise-fashion-mnist-seed-$seed.png" > "$out/lanewise-seed-$seed.txt"
  OMP_NUM_THREADS=1 /usr/bin/python3 "$here/torch_fashion.py" --seed "$seed" > "$out/pytorch-seed-$seed.txt"
  rows+=("$seed")
done
/usr/bin/python3 "$here/fashion_table.py" "$out" "${rows[@]}" | tee "$out/seeds.md"
