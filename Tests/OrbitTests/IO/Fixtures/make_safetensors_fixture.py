"""Writes small_fixture.safetensors with the official `safetensors` package and PyTorch.

Run from this directory:  python3 make_safetensors_fixture.py
(needs `torch` and `safetensors`; committed output was made with torch 2.15.0, safetensors 0.8.0)

PyTorchFixtureTests.swift checks every value below, so keep the two in step.
"""
import torch
from safetensors.torch import save_file

tensors = {
    # float32: a 2x3 matrix with values that are exact in binary, plus -0.0 and a large value.
    "weights.f32": torch.tensor([[1.5, -2.25, 0.0], [-0.0, 1024.0, 3.0e38]], dtype=torch.float32),
    # float64: a value that needs all 53 bits, and the smallest subnormal.
    "scale.f64": torch.tensor([0.1, -1.0 / 3.0, 5e-324], dtype=torch.float64),
    # int64: extremes and a rank-0 scalar.
    "indices.i64": torch.tensor([0, -1, 2**63 - 1, -(2**63)], dtype=torch.int64),
    "step.i64": torch.tensor(42, dtype=torch.int64),
    # bool: a 2x2 mask.
    "mask.bool": torch.tensor([[True, False], [False, True]]),
    # float16: normal, subnormal (2^-24), max, infinity.
    "half.f16": torch.tensor([1.0, -0.5, 2.0**-24, 65504.0, float("inf")], dtype=torch.float16),
    # bfloat16: values exact in 8 significant bits.
    "brain.bf16": torch.tensor([1.0, -3.0, 0.15625, 2.0**127], dtype=torch.bfloat16),
    # size 0.
    "empty.f32": torch.zeros((0, 3), dtype=torch.float32),
}

# Metadata with a newline, a quote, a backslash and non-ASCII text exercises the JSON string escapes.
metadata = {"format": "pt", "step": "42", "note": 'line 1\nsaid "hi" \\ caf\u00e9 \U0001F600'}
save_file(tensors, "small_fixture.safetensors", metadata=metadata)
