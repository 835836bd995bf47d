#!/usr/bin/python3
"""The Python peer: what a user runs today to see what is in a checkpoint (run as /usr/bin/python3).

    /usr/bin/python3 peer_inspect.py FILE

torch.load(FILE, map_location="cpu"), then every tensor of the loaded state dict with its dtype and
shape, as JSON: {"tensors": [{"key": ..., "dtype": "float16", "shape": [...]}, ...]} in dict order,
the same vocabulary as `statescope inspect --json`.
"""
import json
import sys

import torch


def main():
    obj = torch.load(sys.argv[1], map_location="cpu")
    if not isinstance(obj, dict):
        sys.exit("peer_inspect: %s holds a %s, not a state dict" % (sys.argv[1], type(obj).__name__))
    tensors = [{"key": k, "dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape)}
               for k, v in obj.items() if isinstance(v, torch.Tensor)]
    json.dump({"tensors": tensors}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
