#!/usr/bin/python3
"""Checks a repaired checkpoint with real torch (run as /usr/bin/python3).

    /usr/bin/python3 verify_fix.py OUT SOURCE TARGET

OUT must hold {"epoch": 1, "state_dict": ...} whose keys, in order, equal TARGET's, whose shapes and dtypes
equal TARGET's, and whose tensors equal SOURCE's "module."+key tensors (all of them: loaded with mmap
where torch has it, so the page cache carries the bytes). Prints one line; exit 0 = correct, 1 = not.
"""
import sys

import torch


def load(path):
    try:
        return torch.load(path, map_location="cpu", mmap=True)
    except TypeError:  # torch without mmap=
        return torch.load(path, map_location="cpu")


def main():
    out, src, tgt = (load(p) for p in sys.argv[1:4])
    problems = []
    if set(out) != {"epoch", "state_dict"} or out.get("epoch") != 1:
        problems.append("container is %r, expected epoch=1 and state_dict" % sorted(out))
    sd = out.get("state_dict", {})
    if list(sd) != list(tgt):
        problems.append("keys differ from the target's (%d vs %d)" % (len(sd), len(tgt)))
    nonzero = 0
    for k, v in sd.items():
        if k not in tgt or "module." + k not in src["state_dict"]:
            continue
        t, s = tgt[k], src["state_dict"]["module." + k]
        if v.shape != t.shape or v.dtype != t.dtype:
            problems.append("%s: %s %s vs target %s %s" % (k, v.dtype, tuple(v.shape), t.dtype, tuple(t.shape)))
        elif not torch.equal(v, s):
            problems.append("%s: values differ from the source's" % k)
        elif torch.count_nonzero(v):
            nonzero += 1
    if nonzero < 5:
        problems.append("only %d non-zero tensors compared (expected the 5 marked by make_pair.py)" % nonzero)
    if problems:
        print("WRONG: " + "; ".join(problems[:5]))
        return 1
    print("ok: %d keys equal the target's in order, every tensor equals the source's (%d non-zero)"
          % (len(sd), nonzero))
    return 0


if __name__ == "__main__":
    sys.exit(main())
