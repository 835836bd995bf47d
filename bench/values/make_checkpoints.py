#!/usr/bin/python3
"""Writes two ~2.2 GB fp16 checkpoints with a TinyLlama-1.1B layout (22 layers, hidden 2048, GQA with 4 KV heads,
MLP 5632, vocab 32000) that differ in exactly 20 tensors, and changed.json naming them.

Usage: /usr/bin/python3 make_checkpoints.py OUTDIR
The changed tensors get small noise on every element (what fine-tuning does to a weight), spread over
embeddings, attention, MLP and norms, big and small.
"""
import collections
import json
import pathlib
import sys

import torch

VOCAB, HIDDEN, KV, MLP, LAYERS = 32000, 2048, 256, 5632, 22


def layout():
    shapes = collections.OrderedDict()
    shapes["model.embed_tokens.weight"] = (VOCAB, HIDDEN)
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        shapes[p + "self_attn.q_proj.weight"] = (HIDDEN, HIDDEN)
        shapes[p + "self_attn.k_proj.weight"] = (KV, HIDDEN)
        shapes[p + "self_attn.v_proj.weight"] = (KV, HIDDEN)
        shapes[p + "self_attn.o_proj.weight"] = (HIDDEN, HIDDEN)
        shapes[p + "mlp.gate_proj.weight"] = (MLP, HIDDEN)
        shapes[p + "mlp.up_proj.weight"] = (MLP, HIDDEN)
        shapes[p + "mlp.down_proj.weight"] = (HIDDEN, MLP)
        shapes[p + "input_layernorm.weight"] = (HIDDEN,)
        shapes[p + "post_attention_layernorm.weight"] = (HIDDEN,)
    shapes["model.norm.weight"] = (HIDDEN,)
    shapes["lm_head.weight"] = (VOCAB, HIDDEN)
    return shapes


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    g = torch.Generator().manual_seed(7)
    shapes = layout()
    sd = collections.OrderedDict()
    for key, shape in shapes.items():
        sd[key] = (torch.randn(shape, generator=g) * 0.02).half() if len(shape) == 2 else torch.ones(shape).half()
    torch.save(sd, out / "a.pt")

    keys = list(shapes)
    changed = ["lm_head.weight"]
    changed += [f"model.layers.{i}.mlp.down_proj.weight" for i in (0, 7, 21)]
    changed += [f"model.layers.{i}.mlp.up_proj.weight" for i in (3, 15)]
    changed += [f"model.layers.{i}.self_attn.q_proj.weight" for i in (1, 10, 20)]
    changed += [f"model.layers.{i}.self_attn.k_proj.weight" for i in (2, 12)]
    changed += [f"model.layers.{i}.self_attn.v_proj.weight" for i in (5, 18)]
    changed += [f"model.layers.{i}.input_layernorm.weight" for i in (4, 9, 13)]
    changed += [f"model.layers.{i}.post_attention_layernorm.weight" for i in (6, 16)]
    changed += ["model.norm.weight", "model.layers.11.self_attn.o_proj.weight"]
    changed = changed[:20]
    assert len(set(changed)) == 20 and all(k in shapes for k in changed)
    for key in changed:
        t = sd[key].float()
        sd[key] = (t + torch.randn(t.shape, generator=g) * 1e-3).half()
        assert not torch.equal(sd[key], t.half())
    torch.save(sd, out / "b.pt")
    (out / "changed.json").write_text(json.dumps(sorted(changed), indent=1))
    total = sum(t.numel() for t in sd.values())
    print(f"{len(sd)} tensors, {total} parameters, {total * 2 / 1e9:.2f} GB per file; 20 changed")


if __name__ == "__main__":
    main()
