#!/usr/bin/python3
"""The Python peer: torch.load both checkpoints, then per key (a - b).abs().max(); prints the keys whose maximum
is not 0 as JSON. Usage: /usr/bin/python3 python_peer.py A B"""
import json
import sys
import time

import torch

start = time.time()
a = torch.load(sys.argv[1], map_location="cpu")
b = torch.load(sys.argv[2], map_location="cpu")
changed = []
for key, ta in a.items():
    tb = b.get(key)
    if tb is not None and ta.shape == tb.shape and (ta - tb).abs().max().item() != 0:
        changed.append(key)
print(json.dumps({"seconds": time.time() - start, "changed": changed}))
