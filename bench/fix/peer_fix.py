#!/usr/bin/python3
"""Python peer of `statescope fix` for the benchmark: what a user writes by hand (real torch).

    /usr/bin/python3 peer_fix.py SOURCE OUT

torch.load the whole checkpoint, strip "module." from the keys of its "state_dict", torch.save the
container back. No mmap: this is the plain recipe, whose peak memory is the cost the issue compares to.
"""
import collections
import sys

import torch


def main():
    src, out = sys.argv[1], sys.argv[2]
    ckpt = torch.load(src, map_location="cpu")
    ckpt["state_dict"] = collections.OrderedDict(
        (k[len("module."):] if k.startswith("module.") else k, v) for k, v in ckpt["state_dict"].items())
    torch.save(ckpt, out)


if __name__ == "__main__":
    main()
