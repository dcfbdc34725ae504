#!/usr/bin/env bash
# JMH with -prof gc: gc.alloc.rate.norm is the bytes allocated per operation (the zero-allocation proof).
#   profiles/gc-profile.sh NAME JMH_ARGS...
# e.g. profiles/gc-profile.sh train-step TrainStepBenchmark -p threads=1
# writes profiles/jmh/NAME.json and NAME.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="$1"; shift
mkdir -p "$root/profiles/jmh"
"$root/lanewise" bench "$@" -prof gc -rf json -rff "$root/profiles/jmh/$name.json" | tee "$root/profiles/jmh/$name.txt"
