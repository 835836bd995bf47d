#!/usr/bin/python3
"""Writes the SOURCE of the issue 4 fix benchmark with real PyTorch (run as /usr/bin/python3).

    /usr/bin/python3 bench/fix/make_pair.py [OUTDIR]      (default /tmp/statescope-bench)

TARGET is OUTDIR/llama_2g.pt itself (bench/make_checkpoints.py writes it, ~2.0 GB fp16): what the model
expects. SOURCE is OUTDIR/llama_2g_ddp.pt: the same tensors as a DataParallel training script saves them,
every key under "module." inside {"epoch": 1, "state_dict": ...}, so `fix` has to pick the state dict,
strip the prefix and keep the container. A few tensors get distinct values (the rest of llama_2g.pt is
zeros), so the benchmark's torch.equal check can tell a copied tensor from a mixed-up one.

The file is reused when its sidecar records the same target size and layout version; it is written under
a temporary name and renamed, so an interrupted run never leaves a truncated file behind.
"""
import collections
import json
import os
import pathlib
import subprocess
import sys

import torch

LAYOUT = 1  # bump when the SOURCE layout below changes, so stale files are rewritten
MARKED = ("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
          "model.layers.16.mlp.down_proj.weight", "model.norm.weight", "lm_head.weight")


def marked_values(t, seed):
    """Deterministic non-zero content of t's shape and dtype (exact in fp16: small integers)."""
    g = torch.Generator().manual_seed(seed)
    return torch.randint(-1000, 1000, t.shape, generator=g).to(t.dtype)


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/statescope-bench")
    target = out / "llama_2g.pt"
    if not target.exists():
        here = pathlib.Path(__file__).resolve().parent
        subprocess.run([sys.executable, str(here.parent / "make_checkpoints.py"), str(out)], check=True)
    source = out / "llama_2g_ddp.pt"
    sidecar = pathlib.Path(str(source) + ".config.json")
    want = {"layout": LAYOUT, "target_size": target.stat().st_size}
    if source.exists() and sidecar.exists():
        try:
            rec = json.loads(sidecar.read_text())
        except ValueError:
            rec = None
        if rec == dict(want, size=source.stat().st_size):
            print("make_pair: reusing %s" % source, file=sys.stderr)
            print(source)
            return
    print("make_pair: writing %s ..." % source, file=sys.stderr, flush=True)
    # mmap=True: the tensors stay in the page cache instead of a 2 GB anonymous copy.
    sd = torch.load(target, map_location="cpu", mmap=True) if "mmap" in torch.load.__code__.co_varnames \
        else torch.load(target, map_location="cpu")
    wrapped = collections.OrderedDict()
    for i, (k, v) in enumerate(sd.items()):
        wrapped["module." + k] = marked_values(v, i) if k in MARKED else v
    tmp = source.with_name(source.name + ".partial")
    torch.save({"epoch": 1, "state_dict": wrapped}, tmp)
    del sd, wrapped
    os.replace(tmp, source)
    sidecar.write_text(json.dumps(dict(want, size=source.stat().st_size)) + "\n")
    print("make_pair: wrote %s (%.1f MB)" % (source, source.stat().st_size / 1e6), file=sys.stderr)
    print(source)


if __name__ == "__main__":
    main()
