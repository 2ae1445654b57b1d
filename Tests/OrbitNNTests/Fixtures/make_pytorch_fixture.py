"""Writes pytorch_model.safetensors for OrbitNNTests/PyTorchInterchangeTests.swift.

A small model (conv, batch norm, circular conv, max pool, linear) is trained for a few steps in PyTorch so
that batch norm's running statistics are not trivial, then its state_dict is saved with the official
safetensors package together with an input and the model's output in evaluation mode.

    /tmp/torch-venv/bin/python make_pytorch_fixture.py
"""
import torch
from torch import nn
from safetensors.torch import save_file


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=2, padding=1, padding_mode="circular", bias=False)
        self.fc = nn.Linear(6 * 2 * 2, 5)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv1(x)))
        x = torch.nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


torch.manual_seed(0)
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(3):
    x = torch.randn(8, 1, 8, 8)
    loss = model(x).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
model.eval()
inputs = torch.randn(2, 1, 8, 8)
with torch.no_grad():
    outputs = model(inputs)
tensors = {name: value.contiguous() for name, value in model.state_dict().items()}
tensors["test.input"] = inputs
tensors["test.output"] = outputs
save_file(tensors, "pytorch_model.safetensors", metadata={"torch": torch.__version__})
print({name: tuple(value.shape) for name, value in tensors.items()})
