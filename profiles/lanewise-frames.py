"""Shares of an async-profiler collapsed profile by the innermost Lanewise frame of each stack: the kernel a sample
was in, with the JDK's inlined Vector API and memory-access frames counted to the Lanewise method that called them.
Stacks with no Lanewise frame are counted by their innermost frame, marked "(no Lanewise frame)".
    python3 profiles/lanewise-frames.py profiles/flame/NAME/BENCHMARK/collapsed-cpu.csv [TOP]
"""
import collections
import sys


def shares(path):
    total, by_frame = 0, collections.Counter()
    with open(path) as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            frames = stack.split(";")
            ours = [f for f in frames if f.startswith("io/lanewise/")]
            key = ours[-1].removeprefix("io/lanewise/") if ours else "(no Lanewise frame) " + frames[-1]
            by_frame[key] += int(count)
            total += int(count)
    return total, by_frame


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    total, by_frame = shares(path)
    print(f"{path}: {total} samples")
    for frame, count in by_frame.most_common(top):
        print(f"{100 * count / total:5.1f}% {frame}")


if __name__ == "__main__":
    main()
