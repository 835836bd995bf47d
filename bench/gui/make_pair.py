#!/usr/bin/python3
"""Writes the 100k-key pair of the GUI benchmark with real PyTorch (run as /usr/bin/python3).

    /usr/bin/python3 make_pair.py [OUTDIR]        (default /tmp/statescope-gui-bench)

gui_source.pt  100,000 small float32 tensors in a module tree four levels deep, as a deep model's
               state_dict() lays them out: encoder.blocks.{0..499}.{attn,mlp}.{0..49}.{weight,bias}
gui_target.pt  the same tree with 1 % of the keys renamed (every 50th block calls "mlp" "ffn":
               1,000 keys missing and 1,000 unexpected) and 1 % reshaped (every 100th remaining key is [5]
               instead of [4]): 3,000 differences spread over the whole tree

Files are reused when their sidecar `<file>.config.json` records the same layout, and written under a
temporary name first, so an interrupted run never leaves a truncated file behind.
"""
import collections
import json
import os
import pathlib
import sys

import torch

LAYOUT = {"blocks": 500, "subs": ["attn", "mlp"], "layers": 50, "shape": [4], "renamed_every": 50,
          "reshaped_every": 100, "version": 2}


def state_dicts(cfg):
    source, target = collections.OrderedDict(), collections.OrderedDict()
    n = 0
    for b in range(cfg["blocks"]):
        for sub in cfg["subs"]:
            for i in range(cfg["layers"]):
                for leaf in ("weight", "bias"):
                    key = "encoder.blocks.%d.%s.%d.%s" % (b, sub, i, leaf)
                    source[key] = torch.zeros(cfg["shape"])
                    if sub == "mlp" and b % cfg["renamed_every"] == 0:
                        target[key.replace(".mlp.", ".ffn.")] = torch.zeros(cfg["shape"])
                        continue
                    n += 1
                    shape = [cfg["shape"][0] + 1] if n % cfg["reshaped_every"] == 0 else cfg["shape"]
                    target[key] = torch.zeros(shape)
    return source, target


def write(path, sd, cfg):
    sidecar = pathlib.Path(str(path) + ".config.json")
    if path.exists() and sidecar.exists() and json.loads(sidecar.read_text()) == cfg:
        return False
    tmp = pathlib.Path(str(path) + ".partial")
    torch.save(sd, tmp)
    os.replace(tmp, path)
    sidecar.write_text(json.dumps(cfg))
    return True


def main():
    outdir = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/statescope-gui-bench")
    outdir.mkdir(parents=True, exist_ok=True)
    source, target = None, None
    for name in ("gui_source.pt", "gui_target.pt"):
        path = outdir / name
        sidecar = pathlib.Path(str(path) + ".config.json")
        if path.exists() and sidecar.exists() and json.loads(sidecar.read_text()) == LAYOUT:
            continue
        if source is None:
            source, target = state_dicts(LAYOUT)
        write(path, source if name == "gui_source.pt" else target, LAYOUT)
        print("wrote %s" % path, file=sys.stderr)
    # What real torch says about the pair: the benchmark checks the window shows as many differences.
    report = outdir / "gui_pair.expected.json"
    if not report.exists() or json.loads(report.read_text()).get("layout") != LAYOUT:
        if source is None:
            source, target = state_dicts(LAYOUT)
        model_keys = set(target)
        missing = [k for k in target if k not in source]
        unexpected = [k for k in source if k not in model_keys]
        mismatched = [k for k in target if k in source and source[k].shape != target[k].shape]
        report.write_text(json.dumps({"layout": LAYOUT, "missing": len(missing), "unexpected": len(unexpected),
                                      "shape_mismatch": len(mismatched)}))
    print(report.read_text())


if __name__ == "__main__":
    main()
