"""Reads gaps.c's output on stdin: pauses per second by length."""
import sys
head = sys.stdin.readline().split()
seconds = int(head[1])
lengths = [int(l.split()[1]) for l in sys.stdin]
edges = [1_000, 5_000, 20_000, 50_000, 100_000, 1_000_000, 10**15]
print(f"pauses over {seconds} s, per second:", "  ".join(
    f"{a / 1000:g}-{b / 1000:g} us {sum(a <= x < b for x in lengths) / seconds:.0f}" if b < 10**15 else
    f">={a / 1000:g} us {sum(x >= a for x in lengths) / seconds:.1f}" for a, b in zip(edges, edges[1:])))
