#!/usr/bin/python3
"""Writes the benchmark checkpoints of issue 2 with real PyTorch (run as /usr/bin/python3).

    /usr/bin/python3 make_checkpoints.py [OUTDIR]        (default /tmp/statescope-bench)

Files (torch.save zip archives, as `torch.save(model.state_dict(), f)` writes them):
  llama_2g.pt     llama-like fp16 state dict, ~2.0 GB (17 layers, hidden 2048, mlp 5632, vocab 32000)
  llama_30m.pt    the same keys with every dimension divided by 8 (~30 MB): opening it should cost what
                  opening llama_2g.pt costs, since only the pickle is parsed, never the tensor bytes
  blocks_100k.pt  100,000 small tensors "blocks.{i}.{j}.weight" of shape [4] (one storage each): the
                  per-record cost of the zip directory and the pickle

A file is reused when it exists and its sidecar `<file>.config.json` records the same layout, so reruns
of the benchmark do not rewrite 2 GB. Each file is written under a temporary name and renamed, so an
interrupted run never leaves a truncated file that a later run would take for finished.
"""
import collections
import json
import os
import pathlib
import sys

import torch

DEFAULT_OUTDIR = "/tmp/statescope-bench"

# Dimensions of a TinyLlama-sized model (without grouped-query attention): 17 layers land at 2.0 GB in fp16.
LLAMA_FULL = {"layers": 17, "hidden": 2048, "intermediate": 5632, "vocab": 32000, "dtype": "float16"}
LLAMA_SMALL = {"layers": 17, "hidden": 2048 // 8, "intermediate": 5632 // 8, "vocab": 32000 // 8,
               "dtype": "float16"}
BLOCKS = {"outer": 1000, "inner": 100, "shape": [4], "dtype": "float32"}


def llama_state_dict(cfg):
    """Keys and shapes of a Hugging Face LlamaForCausalLM state dict; zeros, since content does not matter."""
    dtype = getattr(torch, cfg["dtype"])
    h, m, v = cfg["hidden"], cfg["intermediate"], cfg["vocab"]
    sd = collections.OrderedDict()
    sd["model.embed_tokens.weight"] = torch.zeros(v, h, dtype=dtype)
    for i in range(cfg["layers"]):
        p = "model.layers.%d." % i
        for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
            sd[p + "self_attn.%s.weight" % name] = torch.zeros(h, h, dtype=dtype)
        sd[p + "mlp.gate_proj.weight"] = torch.zeros(m, h, dtype=dtype)
        sd[p + "mlp.up_proj.weight"] = torch.zeros(m, h, dtype=dtype)
        sd[p + "mlp.down_proj.weight"] = torch.zeros(h, m, dtype=dtype)
        sd[p + "input_layernorm.weight"] = torch.ones(h, dtype=dtype)
        sd[p + "post_attention_layernorm.weight"] = torch.ones(h, dtype=dtype)
    sd["model.norm.weight"] = torch.ones(h, dtype=dtype)
    sd["lm_head.weight"] = torch.zeros(v, h, dtype=dtype)
    return sd


def blocks_state_dict(cfg):
    dtype = getattr(torch, cfg["dtype"])
    sd = collections.OrderedDict()
    for i in range(cfg["outer"]):
        for j in range(cfg["inner"]):
            sd["blocks.%d.%d.weight" % (i, j)] = torch.zeros(cfg["shape"], dtype=dtype)
    return sd


def ensure(path, cfg, build):
    """Writes `path` unless a finished file with the same layout is already there."""
    sidecar = pathlib.Path(str(path) + ".config.json")
    if path.exists() and sidecar.exists():
        try:
            recorded = json.loads(sidecar.read_text())
        except ValueError:
            recorded = None
        if recorded == {"config": cfg, "size": path.stat().st_size}:
            print("make_checkpoints: reusing %s (%.1f MB)" % (path, path.stat().st_size / 1e6), file=sys.stderr)
            return
    print("make_checkpoints: writing %s ..." % path, file=sys.stderr, flush=True)
    sd = build(cfg)
    tmp = path.with_name(path.name + ".partial")
    torch.save(sd, tmp)
    del sd
    os.replace(tmp, path)
    sidecar.write_text(json.dumps({"config": cfg, "size": path.stat().st_size}) + "\n")
    print("make_checkpoints: wrote %s (%.1f MB)" % (path, path.stat().st_size / 1e6), file=sys.stderr)


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTDIR)
    out.mkdir(parents=True, exist_ok=True)
    ensure(out / "llama_2g.pt", LLAMA_FULL, llama_state_dict)
    ensure(out / "llama_30m.pt", LLAMA_SMALL, llama_state_dict)
    ensure(out / "blocks_100k.pt", BLOCKS, blocks_state_dict)


if __name__ == "__main__":
    main()
