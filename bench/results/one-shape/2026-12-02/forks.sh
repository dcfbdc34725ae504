#!/bin/bash
# Does a warm Adam step allocate in any fork? 20 forks per batch size, one measured iteration each, -prof gc
# (JMH's own bookkeeping is 5-31 B per operation). BEFORE: the jar of 11a6558 with -XX:+LogCompilation (2 of 20
# forks at batch 128 allocated 1,167,370 B per step). AFTER: this commit.
set -x
cd "$(dirname "$0")/../../../.."
D=bench/results/one-shape/2026-12-02
flock /tmp/lanewise-cpu.lock ./lanewise bench --jar=/tmp/ab-one.jar TrainStepBenchmark -p batch=32,128 -p optimizer=adam -p threads=1 -f 20 -wi 4 -w 2s -i 1 -r 1s -prof gc > /tmp/adam-final.txt 2>&1
grep -E "^# Fork|gc.alloc.rate.norm:|^# Parameters|^TrainStep" /tmp/adam-final.txt > $D/adam-forks-after.txt
