#!/usr/bin/env bash
# The machine code C2 compiled for one method, from a JMH run: builds HotSpot's disassembler plugin (hsdis) on
# Debian's Capstone library (profiles/hsdis/), then runs the benchmark with -XX:CompileCommand=print for the method.
#   profiles/print-assembly.sh CLASS::METHOD OUT [--isa LEVEL] [--jar=JAR] JMH_ARGS...
# e.g. profiles/print-assembly.sh 'io.lanewise.kernels.gemm.VectorGemmKernel::tilePacked' /tmp/tile.txt --isa avx2 \
#        GemmBenchmark -p impl=lanewise -p shape=512x512x512 -p op=NN
# writes OUT: every compilation of the method (C1, C2 and on-stack replacement), Intel syntax, then JMH's output.
# Needs gcc and libcapstone-dev (installed with apt-get when missing and run as root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
method="$1"; out="$2"; shift 2
case "$(uname -m)" in
  x86_64) lib=hsdis-amd64.so ;;
  aarch64) lib=hsdis-aarch64.so ;;
  *) echo "print-assembly: no hsdis for $(uname -m)" >&2; exit 1 ;;
esac
if [ ! -f /usr/include/capstone/capstone.h ] || ! command -v gcc >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q gcc libcapstone-dev >/dev/null
  else
    echo "print-assembly: needs gcc and Capstone's headers (Debian: apt-get install gcc libcapstone-dev)" >&2
    exit 1
  fi
fi
lib_dir="$root/profiles/tmp/hsdis"
mkdir -p "$lib_dir"
gcc -O2 -shared -fPIC "$root/profiles/hsdis/hsdis-capstone.c" -o "$lib_dir/$lib" -lcapstone
# JMH's forks inherit the environment, so each finds the plugin on the library path.
LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$root/lanewise" bench "$@" -f 1 -wi 3 -i 1 \
  -jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,$method -XX:PrintAssemblyOptions=intel" \
  > "$out" 2>&1
echo "$(grep -c '^Compiled method' "$out") compilations of $method in $out"
