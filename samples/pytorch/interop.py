#!/usr/bin/python3
"""PyTorch <-> Lanewise model files, both ways.

  interop.py fixture DIR        train a small nn.Sequential MLP in PyTorch on the digits-shaped task, save it as
                                DIR/pytorch-mlp.safetensors with DIR/pytorch-mlp-inputs.csv and the logits
                                PyTorch computes for them (DIR/pytorch-mlp-logits.csv); core's PyTorchInteropTest
                                checks that Lanewise predicts the same logits (max difference <= 1e-5).
  interop.py check MODEL INPUTS LOGITS
                                load a Lanewise model file in PyTorch, predict INPUTS (CSV) and compare with the
                                logits Lanewise printed (LOGITS: 'row,class,logit0,...' from 'lanewise predict').
Needs Debian's python3-torch.
"""
import sys

import numpy as np
import torch

import safetensors_io


def sequential(widths, activation=torch.nn.ReLU):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(activation())
    return torch.nn.Sequential(*layers)


def fixture(folder):
    torch.manual_seed(0)
    model = sequential([64, 32, 16, 10])
    x = torch.rand(256, 64)
    y = torch.randint(0, 10, (256,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(50):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    probe = torch.rand(20, 64)
    with torch.no_grad():
        logits = model(probe)
    safetensors_io.save(f"{folder}/pytorch-mlp.safetensors", model.state_dict())
    np.savetxt(f"{folder}/pytorch-mlp-inputs.csv", probe.numpy(), delimiter=",", fmt="%.9g")
    np.savetxt(f"{folder}/pytorch-mlp-logits.csv", logits.numpy(), delimiter=",", fmt="%.9g")
    print(f"wrote {folder}/pytorch-mlp.safetensors (torch {torch.__version__}), 20 probe rows and their logits")


def check(model_file, inputs_file, logits_file):
    tensors, metadata = safetensors_io.load(model_file)
    layers = metadata.get("lanewise.layers", "")
    activations = [spec.split(":")[1] for spec in layers.split(",")] if layers else []
    modules = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "silu": torch.nn.SiLU}
    linear_names = sorted({int(n.split(".")[0]) for n in tensors})
    seq, position = [], 0
    for i, index in enumerate(linear_names):
        w = tensors[f"{index}.weight"]
        linear = torch.nn.Linear(w.shape[1], w.shape[0])
        linear.weight.data.copy_(w)
        linear.bias.data.copy_(tensors[f"{index}.bias"])
        seq.append(linear)
        if i < len(activations) and activations[i] != "identity":
            seq.append(modules[activations[i]]())
    model = torch.nn.Sequential(*seq)
    assert set(model.state_dict().keys()) == set(tensors.keys()), "PyTorch's state_dict names differ from the file's"
    x = torch.from_numpy(np.loadtxt(inputs_file, delimiter=",", ndmin=2).astype(np.float32))
    with torch.no_grad():
        ours = model(x).numpy()
    theirs = np.loadtxt(logits_file, delimiter=",", ndmin=2)[:, 2:]
    diff = float(np.abs(ours - theirs).max())
    same_class = bool((ours.argmax(1) == theirs.argmax(1)).all())
    print(f"PyTorch loaded {model_file}: {len(x)} rows, largest logit difference {diff:.3g}, same classes: {same_class}")
    sys.exit(0 if diff <= 1e-5 and same_class else 1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "fixture":
        fixture(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "check":
        check(*sys.argv[2:])
    else:
        sys.exit(__doc__)
