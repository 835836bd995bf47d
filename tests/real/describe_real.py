"""What the oracle's torch says about the real checkpoints of corpus.json: tst_real_checkpoints compares.

Usage: python describe_real.py CACHE OUTDIR. Reads CACHE/files (scripts/fetch-real-checkpoints.sh) and writes
OUTDIR/real.json: for every file, how torch.load(weights_only=True) fares and every dict of tensors in it
(key, dtype, shape, stride, offset) as torch loads it; for every verdict case, what
model.load_state_dict(source, strict=True) says. A file or model torch cannot reach here is recorded with the
reason, which the test reports as its skip message.
"""
import collections
import json
import pathlib
import sys

import torch

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))
import fixture_util  # noqa: E402
from gen_weights_only import refusal_line  # noqa: E402


def tensor_dicts(obj, path="", out=None, depth=0):
    """Every dict (or OrderedDict) whose values include tensors and are all tensors, by its container path."""
    out = collections.OrderedDict() if out is None else out
    if depth > 8:
        return out
    if isinstance(obj, dict):
        values = list(obj.values())
        if values and all(isinstance(v, torch.Tensor) for v in values):
            out[path] = fixture_util.describe_state_dict(obj)
        else:
            for k, v in obj.items():
                tensor_dicts(v, f"{path}/{k}" if path else str(k), out, depth + 1)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            tensor_dicts(v, f"{path}/{i}" if path else str(i), out, depth + 1)
    return out


def safetensors_load(path):
    from safetensors.torch import load_file
    return load_file(str(path))


def describe_file(path):
    if path.suffix == ".safetensors":
        return {"kind": "safetensors", "dicts": tensor_dicts(safetensors_load(path))}
    if path.suffix == ".jit":
        module = torch.jit.load(str(path), map_location="cpu")
        return {"kind": "torchscript", "dicts": tensor_dicts(module.state_dict()), "class": module.original_name}
    result = {"kind": "torch"}
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
        result["weights_only"] = {"loads": True}
    except Exception as e:  # noqa: BLE001 - the refusal is part of what is compared
        result["weights_only"] = {"loads": False, "reason": refusal_line(str(e))}
        # A pinned, checksummed file from PyPI: the full unpickler is what its users run.
        obj = torch.load(path, map_location="cpu", weights_only=False)
    result["dicts"] = tensor_dicts(obj)
    return result


def build_model(case, files, outdir):
    if case["model"] == "jit":
        return torch.jit.load(str(files / case["target"]), map_location="cpu"), case["target"]
    if case["model"] == "transformers.BertModel":
        from transformers import BertConfig, BertModel
        model = BertModel(BertConfig.from_json_file(str(files / case["config"])))
        target = outdir / (case["name"] + "_target.pt")
        torch.save(model.state_dict(), target)  # the class's state_dict(), as StateScope's TARGET
        return model, str(target)
    raise ValueError("unknown model kind " + case["model"])


def verdict(case, files, outdir):
    model, target = build_model(case, files, outdir)
    source_path = files / case["source"]
    source = safetensors_load(source_path) if source_path.suffix == ".safetensors" else torch.load(source_path)
    try:
        model.load_state_dict(source, strict=True)
        error = None
    except RuntimeError as e:
        error = str(e)
    incompatible = model.load_state_dict(source, strict=False)
    return {"target": target, "torch_error": error, "missing": list(incompatible.missing_keys),
            "unexpected": list(incompatible.unexpected_keys)}


def main():
    cache, outdir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    outdir.mkdir(parents=True, exist_ok=True)
    files = cache / "files"
    corpus = json.loads((HERE / "corpus.json").read_text())
    site = cache / "site"
    if site.is_dir():
        sys.path.insert(0, str(site))
    missing = {}
    if (cache / "missing.txt").exists():
        for line in (cache / "missing.txt").read_text().splitlines():
            missing[line.split(" ", 1)[0]] = line
    out = {"torch": torch.__version__, "files": collections.OrderedDict(), "verdicts": collections.OrderedDict()}
    for package in corpus["packages"]:
        for name in package["files"]:
            if name.endswith(".json"):
                continue
            path = files / name
            if not path.exists():
                out["files"][name] = {"unavailable": missing.get(package["name"], f"{path} was not fetched")}
                continue
            try:
                out["files"][name] = describe_file(path)
            except Exception as e:  # noqa: BLE001 - e.g. an import this torch cannot satisfy
                out["files"][name] = {"unavailable": f"torch {torch.__version__}: {type(e).__name__}: {e}"}
    for case in corpus["verdicts"]:
        try:
            out["verdicts"][case["name"]] = dict(verdict(case, files, outdir), model_name=case["model_name"],
                                                 source=case["source"])
        except Exception as e:  # noqa: BLE001 - transformers needs torch 2.x, files may be missing
            out["verdicts"][case["name"]] = {"unavailable": f"torch {torch.__version__}: {type(e).__name__}: {e}"}
    (outdir / "real.json").write_text(json.dumps(out, indent=1))
    print(f"described {len(out['files'])} files and {len(out['verdicts'])} verdicts with torch {torch.__version__}")


if __name__ == "__main__":
    main()
