#!/usr/bin/python3
"""Writes the bundled demo pair with real PyTorch (run: /usr/bin/python3 make_demo.py).

demo_source.pt is what a researcher typically has: a training checkpoint saved from a DataParallel model
(keys start with "module."), in float16, inside a container with the epoch, optimizer state and argparse
hyper-parameters, from an older run whose BatchNorm has no num_batches_tracked and whose classifier had 10
classes. demo_target.pt is what the current model expects: 12 classes, a renamed block, float32.
Together they show every kind of mismatch StateScope reports.
"""
import argparse
import collections
import pathlib

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self, classes, block_name):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        setattr(self, block_name, nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU()))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(32, classes)
        self.block_name = block_name

    def forward(self, x):
        x = getattr(self, self.block_name)(self.stem(x))
        return self.head(self.pool(x).flatten(1))


def main():
    here = pathlib.Path(__file__).resolve().parent
    torch.manual_seed(0)

    old = Net(classes=10, block_name="features")
    wrapped = nn.DataParallel(old)
    source_sd = wrapped.state_dict()
    source = collections.OrderedDict()
    for k, v in source_sd.items():
        if k.endswith("num_batches_tracked"):
            continue  # saved before BatchNorm tracked batches
        source[k] = v.half() if v.is_floating_point() else v
    source._metadata = collections.OrderedDict(
        (k, {"version": 1}) for k in source_sd._metadata)  # pre-1.0 module versions
    optimizer = torch.optim.SGD(old.parameters(), lr=0.1, momentum=0.9)
    old(torch.randn(2, 3, 8, 8)).sum().backward()
    optimizer.step()
    hparams = argparse.Namespace(lr=0.1, epochs=90, arch="demo-net")
    torch.save({"epoch": 42, "state_dict": source, "optimizer": optimizer.state_dict(), "args": hparams},
               here / "demo_source.pt")

    new = Net(classes=12, block_name="body")
    torch.save(new.state_dict(), here / "demo_target.pt")


if __name__ == "__main__":
    main()
