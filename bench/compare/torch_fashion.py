#!/usr/bin/python3
"""PyTorch's side of the Fashion-MNIST comparison: the recipe of 'lanewise train --data fashion-mnist'
(784-256-128-10, ReLU, Adam 1e-3, batch 128, 10 epochs, shuffled each epoch), timing each epoch's training
and printing the test accuracy. Reads Debian's dataset-fashion-mnist files.
  OMP_NUM_THREADS=1 torch_fashion.py [--threads 1] [--dir /usr/share/datasets/fashion-mnist]
"""
import argparse
import gzip
import struct
import time

import numpy as np
import torch


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols).astype(np.float32) / 255
    return np.frombuffer(data, dtype=np.uint8, offset=8).astype(np.int64)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x = torch.from_numpy(idx(f"{args.dir}/train-images-idx3-ubyte.gz"))
    y = torch.from_numpy(idx(f"{args.dir}/train-labels-idx1-ubyte.gz"))
    xt = torch.from_numpy(idx(f"{args.dir}/t10k-images-idx3-ubyte.gz"))
    yt = torch.from_numpy(idx(f"{args.dir}/t10k-labels-idx1-ubyte.gz"))
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                                torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    total = 0.0
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            index = order[i:i + 128]
            opt.zero_grad(set_to_none=True)
            torch.nn.functional.cross_entropy(model(x[index]), y[index]).backward()
            opt.step()
        seconds = time.perf_counter() - start
        total += seconds
        with torch.no_grad():
            accuracy = (model(xt).argmax(1) == yt).float().mean().item()
        print(f"epoch {epoch:2d}/{args.epochs}  {seconds:.3f} s  test accuracy {accuracy:.4f}", flush=True)
    print(f"PyTorch {torch.__version__}, {args.threads} thread(s): {total / args.epochs:.3f} s per epoch, "
          f"test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
