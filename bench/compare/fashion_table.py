"""Reads the outputs of fashion.sh (lanewise-seed-N.txt, pytorch-seed-N.txt) and prints a markdown table."""
import re
import statistics
import sys


def lanewise(path):
    text = open(path).read()
    rates = [float(r.replace(",", "")) for r in re.findall(r"epoch +\d+/\d+ .* ([\d,]+) samples/s", text)]
    rows = int(re.search(r"([\d,]+) training rows", text).group(1).replace(",", ""))
    epochs = [rows / r for r in rates]
    accuracy = float(re.search(r"^test accuracy: ([\d.]+)", text, re.M).group(1))
    return accuracy, sum(epochs) / len(epochs), sum(epochs[1:]) / len(epochs[1:])


def pytorch(path):
    text = open(path).read()
    epochs = [float(t) for t in re.findall(r"epoch +\d+/\d+ +([\d.]+) s", text)]
    accuracy = float(re.search(r"test accuracy ([\d.]+)\s*$", text).group(1))
    return accuracy, sum(epochs) / len(epochs), sum(epochs[1:]) / len(epochs[1:])


def main():
    out, seeds = sys.argv[1], sys.argv[2:]
    print("| seed | Lanewise accuracy | PyTorch accuracy | Lanewise s/epoch (2-10) | PyTorch s/epoch (2-10) | ratio (2-10) |")
    print("|---:|---:|---:|---:|---:|---:|")
    ours, theirs = [], []
    for seed in seeds:
        a = lanewise(f"{out}/lanewise-seed-{seed}.txt")
        b = pytorch(f"{out}/pytorch-seed-{seed}.txt")
        ours.append(a)
        theirs.append(b)
        print(f"| {seed} | {a[0]:.2%} | {b[0]:.2%} | {a[1]:.3f} ({a[2]:.3f}) | {b[1]:.3f} ({b[2]:.3f}) "
              f"| {a[1] / b[1]:.2f}× ({a[2] / b[2]:.2f}×) |")
    mean = [statistics.mean(col) for col in zip(*ours)]
    tmean = [statistics.mean(col) for col in zip(*theirs)]
    print(f"| mean | **{mean[0]:.2%}** | {tmean[0]:.2%} | {mean[1]:.3f} ({mean[2]:.3f}) | {tmean[1]:.3f} ({tmean[2]:.3f}) "
          f"| **{mean[1] / tmean[1]:.2f}×** ({mean[2] / tmean[2]:.2f}×) |")
    print()
    print(f"Accuracy range: Lanewise {min(r[0] for r in ours):.2%}–{max(r[0] for r in ours):.2%}, "
          f"PyTorch {min(r[0] for r in theirs):.2%}–{max(r[0] for r in theirs):.2%}. "
          "Time per epoch is the mean over all 10 epochs (in brackets: epochs 2-10, after Lanewise's JIT warm-up).")


if __name__ == "__main__":
    main()
