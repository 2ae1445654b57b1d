"""Writes relaxed_reference.safetensors for OrbitNNTests/RelaxedReferenceFixtureTests.swift.

The reference implementation of Wang, Walters and Yu (ICML 2022),
github.com/Rose-STL-Lab/Approximately-Equivariant-Nets (checked at e8e9355, 2024-03-19), is NOT part of
Orbit: pass the root of a checkout of it. Its layer classes are imported from models/model_translation.py
(`Relaxed_ConvNet`, RGroup for translations) and models/model_rotation.py (`Relaxed_Rot_SteerConvNet`,
RSteer for C4, built on e2cnn), built tiny with a fixed seed and run in float64:

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch e2cnn safetensors numpy
    /tmp/torchvenv/bin/python make_relaxed_fixtures.py /path/to/Approximately-Equivariant-Nets

(made with torch 2.15.0, e2cnn 0.2.3, numpy 2.4.6). models/__init__.py imports a class that no longer
exists, so the two files are loaded on their own. float64: the reference creates its parameters with
`.float()`, but `Module.double()` converts them; e2cnn samples its basis with `torch.Tensor(numpy)`, which
follows the default dtype, so the default is float64 while the layers are built (the sampled basis is
then float64 instead of e2cnn's usual float32 rounding of the same numbers).

Tensors (all float64):
- rgroup.layers.{n}.convs.{l}.weight [O, I, 3, 3], .bias [O], .combination_weights [8, 8, L]: the
  reference's own parameter names (`rconv` renamed `layers`); the combination weights are perturbed
  from their initial 1/L so that the regulariser is not zero.
- rgroup.input [2, 4, 8, 8]; rgroup.output.{n}: the output of layer n (ReLU after all but the last;
  rgroup.output.2 is the network's output).
- rgroup.constraint: `get_weight_constraint()` = alpha·(mean|ΔH w| + mean|ΔW w|), w all layers stacked;
  rgroup.loss_term: what utils.train_epoch adds, MSELoss(constraint, 0) = constraint²; rgroup.alpha.
- rsteer.layers.{n}.relaxed_weights [O fields, basis, I fields, 9], .bias [O channels],
  .basis_kernels [basis, dim out, dim in, 9] (e2cnn's sampled basis, positions row-major).
- rsteer.input [2, 4, 8, 8] (two irrep(1) fields); rsteer.output.{n}, the output of layer n (e2cnn's
  ReLU after all but the last); rsteer.constraint = alpha·Σ_layers mean|w[..., p+1] - w[..., p]|;
  rsteer.loss_term = constraint²; rsteer.alpha.
"""
import importlib.util
import os
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import save_file


def load(root, name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(root, "models", name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outputs_per_layer(layers, x):
    outputs = []
    for layer in layers:
        x = layer(x)
        outputs.append(x)
    return outputs


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_relaxed_fixtures.py <checkout of Rose-STL-Lab/Approximately-Equivariant-Nets>")
    root = sys.argv[1]
    torch.set_default_dtype(torch.float64)
    translation = load(root, "model_translation")
    rotation = load(root, "model_rotation")
    tensors = {}

    # RGroup for translations: 4 -> 3 -> 3 -> 2 channels, 3 banks, 3x3, 8x8.
    torch.manual_seed(0)
    rgroup = translation.Relaxed_ConvNet(in_channels=4, out_channels=2, hidden_dim=3, kernel_size=3, h_size=8, w_size=8,
                                         num_layers=3, num_banks=3, alpha=0.1).double()
    with torch.no_grad():
        for layer in rgroup.rconv:
            layer.combination_weights.add_(0.2 * torch.randn_like(layer.combination_weights))
    x = torch.randn(2, 4, 8, 8)
    with torch.no_grad():
        outputs = outputs_per_layer(rgroup.rconv, x)
        assert torch.equal(outputs[-1], rgroup(x))
        constraint = rgroup.get_weight_constraint()
        loss_term = torch.nn.MSELoss()(constraint, torch.zeros_like(constraint))
    for name, value in rgroup.state_dict().items():
        tensors["rgroup." + name.replace("rconv.", "layers.")] = value
    tensors["rgroup.input"] = x
    for n, output in enumerate(outputs):
        tensors[f"rgroup.output.{n}"] = output
    tensors["rgroup.constraint"] = constraint
    tensors["rgroup.loss_term"] = loss_term
    tensors["rgroup.alpha"] = torch.tensor(rgroup.alpha)

    # RSteer for C4: 2 irrep(1) fields -> 2 regular -> 2 regular -> 1 irrep(1), 3x3, 8x8.
    torch.manual_seed(1)
    rsteer = rotation.Relaxed_Rot_SteerConvNet(in_frames=2, out_frames=1, hidden_dim=2, kernel_size=3, num_layers=3, N=4,
                                               alpha=0.1).double()
    x = torch.randn(2, 4, 8, 8)
    with torch.no_grad():
        outputs = outputs_per_layer(rsteer.model, x)
        assert torch.equal(outputs[-1], rsteer(x))
        constraint = rsteer.get_weight_constraint()
        loss_term = torch.nn.MSELoss()(constraint, torch.zeros_like(constraint))
    for n, layer in enumerate(rsteer.model):
        assert layer.basis_kernels.dtype == torch.float64 and layer.relaxed_weights.dtype == torch.float64
        tensors[f"rsteer.layers.{n}.relaxed_weights"] = layer.relaxed_weights.detach()
        tensors[f"rsteer.layers.{n}.bias"] = layer.bias.detach()
        tensors[f"rsteer.layers.{n}.basis_kernels"] = layer.basis_kernels
        # The layer is conv2d with the assembled filter, then e2cnn's pointwise ReLU: check that reading.
        filters = torch.einsum('bpqk,obik->opiqk', layer.basis_kernels, layer.relaxed_weights)
        filters = filters.reshape(filters.shape[0] * filters.shape[1], filters.shape[2] * filters.shape[3], 3, 3)
        previous = x if n == 0 else outputs[n - 1]
        direct = F.conv2d(previous, filters, layer.bias, padding=1)
        assert torch.allclose(outputs[n], direct if n == 2 else torch.relu(direct), rtol=0, atol=1e-14)
    tensors["rsteer.input"] = x
    for n, output in enumerate(outputs):
        tensors[f"rsteer.output.{n}"] = output
    tensors["rsteer.constraint"] = constraint
    tensors["rsteer.loss_term"] = loss_term
    tensors["rsteer.alpha"] = torch.tensor(rsteer.alpha)

    tensors = {name: value.detach().to(torch.float64).contiguous() for name, value in tensors.items()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "relaxed_reference.safetensors")
    save_file(tensors, path, metadata={"torch": torch.__version__, "reference": "Rose-STL-Lab/Approximately-Equivariant-Nets@e8e9355"})
    print({name: tuple(value.shape) for name, value in tensors.items()})
    print("rgroup constraint", tensors["rgroup.constraint"].item(), "rsteer constraint", tensors["rsteer.constraint"].item())


if __name__ == "__main__":
    main()
