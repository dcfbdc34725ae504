#!/usr/bin/python3
"""Exports the benchmark model, 784-256-128-10 ReLU, to ONNX for OnnxRuntimeBenchmark (ONNX Runtime's peer run).

  bench/compare/export_onnx.py [OUT_DIR]      (default: bench/target/onnx)

Writes OUT_DIR/mlp-784-256-128-10.onnx (torch.onnx.export, opset 13, a dynamic batch axis named "batch", input
"input" [batch, 784], output "logits" [batch, 10]) and, with the same weights, OUT_DIR/mlp-784-256-128-10.safetensors
(PyTorch names and layouts, which Lanewise's ModelFiles reads). The benchmark loads both in its setup and refuses to
run unless ONNX Runtime's logits equal Lanewise's within 1e-4. The weights are PyTorch's nn.Linear default draw
with seed 1 (as in torch_mlp.py), not the Lanewise benchmark's: timing does not depend on the values, agreement
is checked on these. Needs Debian's python3-torch; the onnx package is not needed.
"""
import os
import sys

try:
    import torch
except ImportError:
    sys.exit("PyTorch is missing: apt-get install python3-torch")

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "samples", "pytorch"))
import safetensors_io  # noqa: E402  (samples/pytorch: Debian has no python3-safetensors)

NAME = "mlp-784-256-128-10"


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "target", "onnx"))
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, 10)).eval()
    onnx_path = os.path.join(out, NAME + ".onnx")
    weights_path = os.path.join(out, NAME + ".safetensors")
    with torch.no_grad():
        torch.onnx.export(model, torch.zeros(1, 784), onnx_path, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13,
                          do_constant_folding=True)
    safetensors_io.save(weights_path, model.state_dict())
    print(f"wrote {onnx_path} and {weights_path} (torch {torch.__version__}, opset 13)")


if __name__ == "__main__":
    main()
