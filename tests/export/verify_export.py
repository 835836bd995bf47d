"""Checks a file written by StateScope's exporter with real torch. Usage:
  verify_export.py compare SOURCE OUT SELECTED WEIGHTS_ONLY STATE_DICT_ONLY MODULE CHECK_SHARING BYTESWAP [ZIP64]
    WEIGHTS_ONLY=1: the output must load with weights_only=True whenever torch loads the source that way.
    BYTESWAP=1: the source is a big-endian zip that torch 1.13 reads as native; its true values are swapped.
    ZIP64 given: the container is checked as `layout` does, too.
  verify_export.py safetensors SOURCE OUT SELECTED
  verify_export.py recipes SOURCE TARGET OUT [ZIP64]
  verify_export.py hostile OUT MARKER
  verify_export.py pickle ORIGINAL REWRITTEN      both unpickled by Python must be equal (sharing included)
  verify_export.py layout OUT ZIP64     the zip container as torch 2.x's torch.save writes it: every CRC right
    (testzip), data 64-byte aligned, stored, one archive folder, record names and order those of torch 2.x
    (with torch 2.x: exactly torch.save's of the loaded object); ZIP64=1: ZIP64 fields on every record and a
    ZIP64 end record, ZIP64=0: none
Prints OK and exits 0, or prints what differs on stderr and exits 1."""
import argparse
import collections
import io
import json
import math
import os
import struct
import sys
import zipfile

import torch
from torch import nn
import torch.nn.functional as F

ST_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
             "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
             "BOOL": torch.bool, "C64": torch.complex64}
ELEMENT = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1, "C64": 8}


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def read_safetensors(path, strict=True):
    """The safetensors spec, read with the reference reader's checks (no safetensors package here)."""
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    raw = data[8:8 + n]
    if strict:
        if n % 8:
            fail(f"{path}: header length {n} is not a multiple of 8")
        if raw.rstrip(b" ") != raw.rstrip() or not raw.rstrip(b" ").endswith(b"}"):
            fail(f"{path}: header padding is not spaces")
    header = json.loads(raw.decode("utf-8"), object_pairs_hook=collections.OrderedDict)
    meta = header.pop("__metadata__", None)
    buf = data[8 + n:]
    tensors = collections.OrderedDict()
    entries = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0])
    end = 0
    for name, info in entries:
        b, e = info["data_offsets"]
        if b != end:
            fail(f"{path}: {name} starts at {b}, previous ended at {end}")
        numel = math.prod(info["shape"]) if info["shape"] else 1
        if e - b != numel * ELEMENT[info["dtype"]]:
            fail(f"{path}: {name} has {e - b} bytes for {numel} elements")
        t = torch.frombuffer(bytearray(buf[b:e]), dtype=ST_DTYPES[info["dtype"]]) if e > b else \
            torch.empty(0, dtype=ST_DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"])
        end = e
    if strict:
        if end != len(buf):
            fail(f"{path}: {len(buf) - end} trailing bytes")
        names = [k for k, _ in entries]
        if names != sorted(names, key=lambda k: k.encode()):
            fail(f"{path}: offsets are not in key order: {names}")
    return tensors, meta


def select(obj, path):
    for part in [p for p in path.split("/") if p]:
        obj = obj[int(part)] if isinstance(obj, (list, tuple)) else obj[part]
    return obj


def tensor_equal(a, b):
    if type(a) is not type(b) or a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.is_quantized:
        if a.qscheme() != b.qscheme() or not torch.equal(a.int_repr(), b.int_repr()):
            return False
        if a.qscheme() == torch.per_tensor_affine:
            return a.q_scale() == b.q_scale() and a.q_zero_point() == b.q_zero_point()
        return (torch.equal(a.q_per_channel_scales(), b.q_per_channel_scales()) and
                torch.equal(a.q_per_channel_zero_points(), b.q_per_channel_zero_points()) and
                a.q_per_channel_axis() == b.q_per_channel_axis())
    if a.numel() == 0:
        return True
    if a.is_floating_point() or a.is_complex():
        return bool(torch.equal(a.view(torch.uint8) if a.element_size() == 1 else a, b) or
                    (torch.isnan(a).eq(torch.isnan(b)).all() and torch.equal(torch.nan_to_num(a), torch.nan_to_num(b))))
    return torch.equal(a, b)


def deep_equal(a, b, where, memo):
    if isinstance(a, (list, dict, tuple, set, torch.Tensor, argparse.Namespace, bytearray)) or hasattr(a, "__dict__"):
        if id(a) in memo:
            if memo[id(a)] is not b:
                fail(f"{where}: shared object is no longer shared")
            return
        memo[id(a)] = b
    if type(a) is not type(b):
        fail(f"{where}: type {type(a).__name__} became {type(b).__name__}")
    if isinstance(a, torch.Tensor):
        if not tensor_equal(a, b):
            fail(f"{where}: tensor differs")
    elif isinstance(a, float):
        if not (a == b or (math.isnan(a) and math.isnan(b))):
            fail(f"{where}: {a} != {b}")
    elif isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            fail(f"{where}: keys {list(a.keys())} != {list(b.keys())}")
        if isinstance(a, collections.defaultdict) and a.default_factory is not b.default_factory:
            fail(f"{where}: default factory differs")
        for k in a:
            deep_equal(a[k], b[k], f"{where}/{k}", memo)
    elif isinstance(a, (list, tuple)):
        if len(a) != len(b):
            fail(f"{where}: length {len(a)} != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            deep_equal(x, y, f"{where}/{i}", memo)
    elif hasattr(a, "__dict__") and not isinstance(a, type):
        deep_equal(vars(a), vars(b), f"{where}.__dict__", memo)
    elif a != b:
        fail(f"{where}: {a!r} != {b!r}")


def sharing(sd):
    groups = collections.OrderedDict()
    for k, v in sd.items():
        if isinstance(v, torch.Tensor) and v.layout == torch.strided:
            groups.setdefault(v.storage().data_ptr(), []).append(k)
    return sorted(g for g in groups.values() if len(g) > 1)


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 2)


def load_source(path):
    if open(path, "rb").read(8)[:2] == b"PK" or path.endswith(".pt") or path.endswith(".ckpt") or path.endswith(".tar"):
        try:
            return torch.load(path, map_location="cpu", weights_only=False)
        except Exception:
            pass
    return read_safetensors(path, strict=False)[0]


def swapped(sd):
    """The values of a big-endian archive that torch 1.13 read as little-endian (byteorder record ignored)."""
    out, storages = type(sd)(), {}
    for k, t in sd.items():
        ptr = t.storage().data_ptr()
        if ptr not in storages:
            unit = t.element_size() // 2 if t.is_complex() else t.element_size()
            base = torch.empty(0, dtype=t.dtype).set_(t.storage())
            raw = base.view(torch.uint8).reshape(-1, unit).flip(1).reshape(-1)
            storages[ptr] = raw.clone().view(t.dtype)
        out[k] = storages[ptr].as_strided(t.size(), t.stride(), t.storage_offset())
    return out


def source_allows_weights_only(source):
    try:
        torch.load(source, weights_only=True, map_location="cpu")
        return True
    except Exception:
        return False


def compare(source, out, selected, weights_only, state_dict_only, module, check_sharing, byteswap, zip64=None):
    if zip64 is not None:
        check_layout(out, zip64)
    weights_only = weights_only == "1" and source_allows_weights_only(source)
    loaded = torch.load(out, weights_only=weights_only)  # no map_location: every storage must be cpu
    src = load_source(source)
    if byteswap == "1":
        src = swapped(src)
    src_sd = select(src, selected)
    out_sd = loaded if state_dict_only == "1" else select(loaded, selected)
    if list(src_sd.keys()) != list(out_sd.keys()):
        fail(f"keys differ: {list(src_sd.keys())[:5]} vs {list(out_sd.keys())[:5]}")
    for k, a in src_sd.items():
        b = out_sd[k]
        if b.device.type != "cpu":
            fail(f"{k}: on {b.device}")
        if not tensor_equal(a, b):
            fail(f"{k}: differs ({a.dtype} {tuple(a.shape)} vs {b.dtype} {tuple(b.shape)})")
        if a.layout == torch.strided and (a.stride() != b.stride() or a.storage_offset() != b.storage_offset()):
            fail(f"{k}: view changed: stride {a.stride()} offset {a.storage_offset()} vs {b.stride()} {b.storage_offset()}")
        if a.requires_grad != b.requires_grad:
            fail(f"{k}: requires_grad differs")
    if getattr(src_sd, "_metadata", None) != getattr(out_sd, "_metadata", None):
        fail("_metadata differs")
    if check_sharing == "1" and sharing(src_sd) != sharing(out_sd):
        fail(f"storage sharing differs: {sharing(src_sd)} vs {sharing(out_sd)}")
    if state_dict_only != "1":
        deep_equal(src, loaded, "root", {})
    if module != "none":
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
        import resnet
        model = resnet.resnet18() if module == "resnet18" else Small()
        model.load_state_dict(out_sd, strict=True)
    print("OK")


def check_safetensors(source, out, selected):
    tensors, meta = read_safetensors(out)
    src_sd = select(load_source(source), selected)
    if sorted(tensors) != sorted(src_sd):
        fail("keys differ")
    for k, a in src_sd.items():
        if not tensor_equal(a.detach().contiguous(), tensors[k]):
            fail(f"{k}: differs")
    if not meta or meta.get("format") != "pt":
        fail(f"__metadata__ without format pt: {meta}")
    print(json.dumps(meta))


def interpolate(t, size, prefix):
    batched = t.dim() == 3
    x = t if batched else t.unsqueeze(0)
    c = x.shape[2]
    side = int(math.isqrt(x.shape[1] - prefix))
    new = int(math.isqrt(size[-2] - prefix))
    grid = x[:, prefix:].float().reshape(1, side, side, c).permute(0, 3, 1, 2)
    grid = F.interpolate(grid, size=(new, new), mode="bicubic", align_corners=False)
    grid = grid.permute(0, 2, 3, 1).reshape(1, new * new, c).to(t.dtype)
    y = torch.cat([x[:, :prefix], grid], 1)
    return y if batched else y[0]


def recipes(source, target, out, zip64=None):
    if zip64 is not None:
        check_layout(out, zip64)
    s = torch.load(source, weights_only=False)
    t = torch.load(target, weights_only=False)
    o = torch.load(out, weights_only=False)
    head = t["head.weight"].clone()
    head[:10, :6] = s["head.weight"][:, :6]
    bias = torch.zeros(12)
    bias[:10] = s["head.bias"]
    expected = collections.OrderedDict([
        ("pos_embed", interpolate(s["pos_embed"], [1, 37, 8], 1)),
        ("pos_embed_half", interpolate(s["pos_embed_half"], [1, 27, 6], 2)),
        ("proj.weight", s["proj.weight"].t().contiguous()),
        ("head.weight", head),
        ("head.bias", bias),
        ("norm.weight", s["norm.weight"].float()),
        ("mask", s["mask"]),
        ("extra", t["extra"]),
        ("bn.num_batches_tracked", torch.tensor(0, dtype=torch.long)),
    ])
    if list(o.keys()) != list(expected.keys()):
        fail(f"keys {list(o.keys())}")
    # Bicubic interpolation is exact when this torch is the engine's (STATESCOPE_ENGINE_TORCH, its LibTorch
    # version); another torch rounds float32 differently (2.13 vs 1.13: a few ulp), held to float32 precision.
    engine = os.environ.get("STATESCOPE_ENGINE_TORCH", torch.__version__).split(".")[:2]
    same_engine = engine == torch.__version__.split(".")[:2]
    for k, v in expected.items():
        if k.startswith("pos_embed") and not same_engine and v.shape == o[k].shape and v.dtype == o[k].dtype:
            if not torch.allclose(v.double(), o[k].double(), rtol=1e-6, atol=1e-6):
                fail(f"{k}: differs beyond float32 rounding ({(v.double() - o[k].double()).abs().max().item()})")
            continue
        if not tensor_equal(v, o[k]):
            diff = (v.double() - o[k].double()).abs().max().item() if v.shape == o[k].shape else "shape"
            fail(f"{k}: differs ({v.dtype} {tuple(v.shape)} vs {o[k].dtype} {tuple(o[k].shape)}, {diff})")
    if o["extra"].stride() != t["extra"].stride():
        fail("extra: the target's view was not kept")
    print("OK")


def same_pickle(original, rewritten):
    import pickle
    a = pickle.loads(open(original, "rb").read())
    b = pickle.loads(open(rewritten, "rb").read())
    deep_equal(a, b, "root", {})
    print("OK")


def hostile(out, marker):
    pkl = [zipfile.ZipFile(out).read(n) for n in zipfile.ZipFile(out).namelist() if n.endswith("data.pkl")][0]
    if b"system" in pkl or b"posix" in pkl:
        fail("the payload's global is still in data.pkl")
    loaded = torch.load(out, weights_only=True)
    if loaded["payload"] is not None:
        fail(f"payload is {loaded['payload']!r}")
    if os.path.exists(marker):
        fail("the payload ran")
    Small().load_state_dict(loaded["state_dict"], strict=True)
    print("OK")


def zip64_extra(extra):
    """Whether a zip extra field block holds a ZIP64 (0x0001) field."""
    at = 0
    while at + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, at)
        if tag == 0x0001:
            return True
        at += 4 + size
    return False


def check_layout(out, zip64):
    with zipfile.ZipFile(out) as z:
        bad = z.testzip()
        if bad is not None:
            fail(f"{bad}: CRC-32 does not match the bytes")
        infos = z.infolist()
        pickle_bytes = z.read(infos[0].filename)
    data = open(out, "rb").read()
    names, folders = [], set()
    for info in infos:
        sig, = struct.unpack_from("<I", data, info.header_offset)
        n, e = struct.unpack_from("<HH", data, info.header_offset + 26)
        if sig != 0x04034B50:
            fail(f"{info.filename}: no local header at {info.header_offset}")
        start = info.header_offset + 30 + n + e
        if start % 64:
            fail(f"{info.filename}: data at offset {start}, not a multiple of 64")
        if info.compress_type != zipfile.ZIP_STORED:
            fail(f"{info.filename}: compressed")
        local_extra = data[info.header_offset + 30 + n:start]
        if zip64 == "1" and not (zip64_extra(info.extra) and zip64_extra(local_extra)):
            fail(f"{info.filename}: no ZIP64 field")
        if zip64 == "0" and (zip64_extra(info.extra) or zip64_extra(local_extra)):
            fail(f"{info.filename}: ZIP64 field in a small archive")
        folder, name = info.filename.split("/", 1)
        folders.add(folder)
        names.append(name)
    if len(folders) != 1:
        fail(f"records in several folders: {sorted(folders)}")
    has_end64 = data.rfind(b"PK\x06\x06") > data.rfind(b"PK\x01\x02")
    if has_end64 != (zip64 == "1"):
        fail(f"ZIP64 end record present: {has_end64}")
    # torch 2.x's layout, which StateScope writes for both torches (docs/torch-versions.md): the format records
    # after data.pkl, the storages in the order data.pkl first names them, version and the serialization id
    # last. torch 1.13 writes fewer records and sorts the storages as strings, so with 1.13 the order is
    # derived from data.pkl; with torch 2.x it must equal torch.save's own.
    expected = ["data.pkl", ".format_version", ".storage_alignment", "byteorder"]
    expected += ["data/" + k for k in storage_keys_in_pickle_order(pickle_bytes)]
    expected += ["version", ".data/serialization_id"]
    if names != expected:
        fail(f"records {names[:8]}... differ from torch 2.x's layout {expected[:8]}...")
    if int(torch.__version__.split(".")[0]) >= 2:
        reference = io.BytesIO()
        torch.save(torch.load(out, weights_only=False), reference)
        saved = [n.split("/", 1)[1] for n in zipfile.ZipFile(reference).namelist()]
        # torch 2.6 (Debian 13's) still writes the older records, sorted as strings, as 1.13 does: only a
        # torch that writes the format records is compared record by record.
        if ".format_version" in saved and names != saved:
            fail(f"records {names[:8]}... differ from torch.save's {saved[:8]}...")


def storage_keys_in_pickle_order(pickle_bytes):
    """The storage keys of a torch zip's data.pkl in the order it first names them, without torch."""
    import pickle

    class Stub(dict):
        def __init__(self, *args, **kwargs):
            pass

        def __setstate__(self, state):
            pass

    keys = []

    class Keys(pickle.Unpickler):
        def find_class(self, module, name):
            return Stub

        def persistent_load(self, pid):
            if pid[2] not in keys:
                keys.append(pid[2])
            return None

    Keys(io.BytesIO(pickle_bytes)).load()
    return keys


def layout(out, zip64):
    check_layout(out, zip64)
    print("OK")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"compare": compare, "safetensors": check_safetensors, "recipes": recipes, "hostile": hostile, "pickle": same_pickle,
     "layout": layout}[cmd](*args)
