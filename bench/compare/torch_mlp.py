#!/usr/bin/python3
"""PyTorch side of bench/compare: the model of TrainStepBenchmark/PredictBenchmark in PyTorch.

784-256-128-10 ReLU, softmax cross-entropy; SGD (momentum 0.9, lr 0.01) or Adam (lr 1e-3); float32;
eager mode. Prints one JSON object per line:
  {"kind": "train", "batch": B, "threads": T, "optimizer": O, "samples_per_s": S}
  {"kind": "predict1", "threads": 1, "p50_us": ..., "p99_us": ..., "p999_us": ...}
  {"kind": "levels", "cpu_capability": "AVX2", "openblas_core": "Haswell", ...}   (first: what ran)
Run through compare.sh, which sets OMP_NUM_THREADS / OMP_WAIT_POLICY per thread count, and for ISA=LEVEL
ATEN_CPU_CAPABILITY (PyTorch's own kernels) and OPENBLAS_CORETYPE (its GEMMs, in OpenBLAS).
"""
import argparse
import ctypes
import json
import os
import sys
import time

try:
    import torch
except ImportError:
    sys.exit("PyTorch is missing: apt-get install python3-torch libopenblas0-pthread "
             "(Debian's torch alone falls back to the slow reference BLAS)")


def model():
    torch.manual_seed(1)
    return torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                               torch.nn.Linear(256, 128), torch.nn.ReLU(),
                               torch.nn.Linear(128, 10))


def train(batch, optimizer_name, seconds):
    net = model()
    opt = (torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9) if optimizer_name == "sgd"
           else torch.optim.Adam(net.parameters(), lr=1e-3))
    loss_fn = torch.nn.CrossEntropyLoss()
    xs = [torch.rand(batch, 784) for _ in range(8)]
    ys = [torch.randint(0, 10, (batch,)) for _ in range(8)]

    def step(i):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(xs[i % 8]), ys[i % 8])
        loss.backward()
        opt.step()

    for i in range(50):  # warm-up
        step(i)
    best = 0.0
    for _ in range(5):  # 5 measurement rounds, as JMH's iterations; report the mean
        steps, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            step(steps)
            steps += 1
        rate = steps * batch / (time.perf_counter() - start)
        best += rate / 5
    return best


def predict1(samples):
    net = model().eval()
    x = torch.rand(1, 784)
    times = []
    with torch.inference_mode():
        for _ in range(2000):
            net(x)
        for _ in range(samples):
            t0 = time.perf_counter_ns()
            net(x)
            times.append(time.perf_counter_ns() - t0)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] / 1000.0
    return pick(0.5), pick(0.99), pick(0.999)


def levels():
    """What this process runs: PyTorch's CPU capability (torch.__config__; 1.13 has no get_cpu_capability) and
    the core of the OpenBLAS it loaded (the same libopenblas.so.0 through ctypes), with the variables that set them."""
    capability = next((line.split(":", 1)[1].strip() for line in torch.__config__.show().splitlines()
                       if "CPU capability usage" in line), "unknown")
    try:
        corename = ctypes.CDLL("libopenblas.so.0").openblas_get_corename
        corename.restype = ctypes.c_char_p
        core = corename().decode()
    except (OSError, AttributeError):
        core = "unknown (no libopenblas.so.0)"
    return {"kind": "levels", "torch": torch.__version__, "cpu_capability": capability, "openblas_core": core,
            "ATEN_CPU_CAPABILITY": os.environ.get("ATEN_CPU_CAPABILITY"),
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            "ONEDNN_MAX_CPU_ISA": os.environ.get("ONEDNN_MAX_CPU_ISA")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--batches", default="32,128,512")
    parser.add_argument("--optimizers", default="sgd,adam")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--predict", action="store_true", help="also measure batch-1 latency")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(json.dumps(levels()), flush=True)
    for opt in args.optimizers.split(","):
        for b in map(int, args.batches.split(",")):
            rate = train(b, opt, args.seconds)
            print(json.dumps({"kind": "train", "batch": b, "threads": args.threads, "optimizer": opt,
                              "samples_per_s": rate}), flush=True)
    if args.predict:
        p50, p99, p999 = predict1(100_000)
        print(json.dumps({"kind": "predict1", "threads": args.threads, "p50_us": p50, "p99_us": p99,
                          "p999_us": p999}), flush=True)


if __name__ == "__main__":
    main()
