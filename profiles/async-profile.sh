#!/usr/bin/env bash
# A flame graph of JMH benchmarks with async-profiler, taken from Maven Central (tools.profiler:async-profiler).
#   profiles/async-profile.sh NAME JMH_ARGS...
# e.g. profiles/async-profile.sh gemm-512 GemmBenchmark -p impl=lanewise -p shape=512x512x512 -p op=NN
# writes profiles/flame/NAME/ (one HTML flame graph per benchmark and parameter set, and frames-cpu.txt: the
# samples' shares by their innermost Lanewise frame, from profiles/lanewise-frames.py).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="$1"; shift
version=4.1
"$root/lanewise" mvn -B -ntp -q dependency:get -Dartifact=tools.profiler:async-profiler:$version >/dev/null
jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
lib_dir="$root/profiles/tmp/async-profiler-$version"
mkdir -p "$lib_dir" "$root/profiles/flame/$name"
unzip -o -j -q "$jar" 'linux-x64/libasyncProfiler.so' -d "$lib_dir"
# event=cpu uses perf_events where the kernel allows it and falls back to a timer otherwise.
"$root/lanewise" bench "$@" -f 1 -wi 3 -i 3 \
  -prof "async:libPath=$lib_dir/libasyncProfiler.so;output=flamegraph,text,collapsed;event=cpu;dir=$root/profiles/flame/$name"
# Shares by the innermost Lanewise frame, beside each benchmark's flame graphs.
for collapsed in "$root/profiles/flame/$name"/*/collapsed-cpu.csv; do
  python3 "$root/profiles/lanewise-frames.py" "$collapsed" > "$(dirname "$collapsed")/frames-cpu.txt"
done
echo "flame graphs in profiles/flame/$name, shares by Lanewise frame in each frames-cpu.txt"
