#!/usr/bin/env python3
"""Checks that StateScope and the Python peer see the same tensors (used by bench_inspect.sh).

    compare_keys.py STATESCOPE_JSON PEER_JSON

STATESCOPE_JSON is `statescope inspect FILE --json`, PEER_JSON is `peer_inspect.py FILE`. The ordered
lists of (key, dtype, shape) must be equal. Exit 0 when they are, else 1 with the first difference.
Standard library only, so any python3 runs it.
"""
import json
import sys


def triples(path):
    with open(path) as f:
        doc = json.load(f)
    return [(t["key"], t["dtype"], list(t["shape"])) for t in doc["tensors"]]


def main():
    ours, peer = triples(sys.argv[1]), triples(sys.argv[2])
    if ours == peer:
        print("same %d tensors (key, dtype, shape, order)" % len(ours))
        return 0
    if len(ours) != len(peer):
        print("statescope reports %d tensors, torch.load %d" % (len(ours), len(peer)))
    for i, (a, b) in enumerate(zip(ours, peer)):
        if a != b:
            print("first difference at tensor %d: statescope %s, torch.load %s" % (i, a, b))
            break
    return 1


if __name__ == "__main__":
    sys.exit(main())
