#!/usr/bin/env bash
# Runs the 784-256-128-10 model in PyTorch, in ONNX Runtime (predict only, through its Java API in the same JMH
# run as Lanewise) and in Lanewise on this machine and prints the ratios.
#   bench/compare/compare.sh [OUT_DIR]      (default: bench/results/compare)
#   ISA=avx512|avx2|sse bench/compare/compare.sh OUT_DIR     all three at one instruction-set level (default auto)
# Needs Debian's PyTorch with OpenBLAS: apt-get install python3-torch libopenblas0-pthread.
#
# ISA levels, for PyTorch (its own kernels: ATEN_CPU_CAPABILITY; its GEMMs: OpenBLAS's OPENBLAS_CORETYPE; oneDNN,
# unused by these eager float32 Linear layers, capped too) and for Lanewise (lanewise bench --isa: -XX:UseAVX and
# OpenBLAS's core):
#   auto    each library's default: PyTorch 1.13 chooses AVX2 even on AVX-512 CPUs; OpenBLAS detects the CPU
#   avx512  ATEN_CPU_CAPABILITY=avx512  OPENBLAS_CORETYPE=SkylakeX  ONEDNN_MAX_CPU_ISA=AVX512_CORE
#   avx2    ATEN_CPU_CAPABILITY=avx2    OPENBLAS_CORETYPE=Haswell   ONEDNN_MAX_CPU_ISA=AVX2
#   sse     ATEN_CPU_CAPABILITY=default OPENBLAS_CORETYPE=Nehalem   ONEDNN_MAX_CPU_ISA=SSE41
# ONNX Runtime has no such switch (MLAS chooses its kernels from CPUID): it runs at the CPU's best level.
# torch.jsonl's first line says what PyTorch ran with (its capability and OpenBLAS core).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/bench/results/compare}"
isa="${ISA:-auto}"
case "$isa" in
  auto)   unset OPENBLAS_CORETYPE ATEN_CPU_CAPABILITY ONEDNN_MAX_CPU_ISA ;;
  avx512) export ATEN_CPU_CAPABILITY=avx512  OPENBLAS_CORETYPE=SkylakeX ONEDNN_MAX_CPU_ISA=AVX512_CORE ;;
  avx2)   export ATEN_CPU_CAPABILITY=avx2    OPENBLAS_CORETYPE=Haswell  ONEDNN_MAX_CPU_ISA=AVX2 ;;
  sse)    export ATEN_CPU_CAPABILITY=default OPENBLAS_CORETYPE=Nehalem  ONEDNN_MAX_CPU_ISA=SSE41 ;;
  *) echo "compare: ISA=$isa is not a level: expected auto, avx512, avx2 or sse" >&2; exit 1 ;;
esac
# Fails here, before PyTorch runs, when this CPU lacks the level (the same check as lanewise bench --isa).
"$root/lanewise" bench --isa "$isa" --list >/dev/null
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

"$root/lanewise" bench --isa "$isa" 'TrainStepBenchmark|PredictBenchmark|OnnxRuntimeBenchmark' -prof gc -rf json -rff "$out/lanewise.json" > "$out/lanewise.txt"

/usr/bin/python3 "$here/ratios.py" "$out/torch.jsonl" "$out/lanewise.json" | tee "$out/ratios.md"
