#!/usr/bin/env python3
"""PyTorch counterpart of Orbit's MNIST training command, for side-by-side timing.

Same network (the classic two-convolution CNN, 1,199,882 parameters), same batch size, Adam, float32,
2 threads. Prints JSON lines with the names `make run ARGS="--benchmark N"` prints, so that
../shared/bench/compare.py can join them:

    mnist_train_step_b64   median seconds of one training step (forward, backward, Adam update)
    mnist_evaluate_b1000   median seconds of a forward pass on 1,000 test images
    mnist_epoch            seconds of one full epoch (938 steps) on real data (with --epoch)
    mnist_peak_rss         peak resident memory of the process, bytes (in the "bytes" field)

    /tmp/torch-venv/bin/python Benchmarks/mnist_torch.py [--steps 50] [--epoch]
"""
import argparse, gzip, json, os, resource, statistics, sys, time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "OrbitDatasets", "Data", "MNIST")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = self.dropout1(F.max_pool2d(x, 2)).flatten(1)
        x = self.dropout2(F.relu(self.fc1(x)))
        return self.fc2(x)


def load(images, labels):
    with gzip.open(os.path.join(DATA, images)) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    with gzip.open(os.path.join(DATA, labels)) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def emit(name, seconds, **extra):
    print(json.dumps({"name": name, "seconds": seconds, "impl": "pytorch-" + torch.__version__, **extra}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--epoch", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    torch.manual_seed(1)
    images, labels = load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    test_images, test_labels = load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    model = Net()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(i):
        x, y = images[i * 64:(i + 1) * 64], labels[i * 64:(i + 1) * 64]
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for i in range(3):
        step(i)
    times = []
    for i in range(args.steps):
        start = time.perf_counter(); step(i % 900); times.append(time.perf_counter() - start)
    emit("mnist_train_step_b64", statistics.median(times))

    model.eval()
    with torch.no_grad():
        evaluation = []
        for i in range(5):
            start = time.perf_counter(); model(test_images[i * 1000:(i + 1) * 1000]); evaluation.append(time.perf_counter() - start)
    emit("mnist_evaluate_b1000", statistics.median(evaluation))
    model.train()

    if args.epoch:
        order = torch.randperm(len(images))
        start = time.perf_counter()
        for i in range(0, len(images), 64):
            batch = order[i:i + 64]
            loss = F.cross_entropy(model(images[batch]), labels[batch])
            optimizer.zero_grad(); loss.backward(); optimizer.step()
        emit("mnist_epoch", time.perf_counter() - start)
    emit("mnist_peak_rss", 0.0, bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


if __name__ == "__main__":
    main()
