#!/usr/bin/env python3
"""Builds the seed corpora of the fuzzers from the fixtures that real torch wrote (tests/fixtures).

Usage: make_seed_corpus.py FIXTURE_DIR OUT_DIR

Writes OUT_DIR/pickle (for fuzz_pickle), OUT_DIR/safetensors (fuzz_safetensors) and OUT_DIR/checkpoint
(fuzz_checkpoint). Needs only the standard library: archives are opened with zipfile/tarfile, and pickles are
cut out of legacy streams with pickletools.genops, which walks opcodes without executing anything.
"""
import hashlib
import io
import pathlib
import pickletools
import sys
import tarfile
import zipfile

# Seeds beyond this are cut down or skipped: libFuzzer's default max_len follows the largest seed, and large
# inputs slow every execution. The fixtures' 200k-list and 500k-mark bombs (400-500 KB) take seconds each
# under the sanitizers; the unit tests cover them, and the fuzzer still builds smaller bombs of its own.
MAX_SEED = 64 << 10


class Corpus:
    def __init__(self, directory):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.seen = set()

    def add(self, name, data):
        digest = hashlib.sha1(data).hexdigest()
        if len(data) > MAX_SEED or digest in self.seen:
            return
        self.seen.add(digest)
        safe = name.replace("/", "__")
        (self.directory / f"{safe}-{digest[:8]}").write_bytes(data)

    def __len__(self):
        return len(self.seen)


def pickles_in_stream(data, limit=8):
    """The pickles written back to back at the start of a legacy torch.save stream (magic, protocol,
    sys_info, main object, storage keys), as byte strings."""
    out = []
    pos = 0
    while pos < len(data) and len(out) < limit:
        try:
            end = None
            for opcode, _arg, offset in pickletools.genops(io.BytesIO(data[pos:])):
                if opcode.name == "STOP":
                    end = pos + offset + 1
                    break
        except Exception:
            break
        if end is None:
            break
        out.append(data[pos:end])
        pos = end
    return out


def zip_pickles(path):
    """Every *.pkl record of a zip (data.pkl, constants.pkl, ...), or nothing for a broken archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [(info.filename, archive.read(info)) for info in archive.infolist()
                    if info.filename.endswith(".pkl") and info.file_size <= MAX_SEED]
    except Exception:
        return []


def tar_pickles(path):
    try:
        with tarfile.open(path) as archive:
            return [(m.name, archive.extractfile(m).read()) for m in archive.getmembers()
                    if m.name in ("pickle", "tensors", "storages") and m.isfile() and m.size <= MAX_SEED]
    except Exception:
        return []


def safetensors_seed(data):
    """A large safetensors file cut to its length field and header: the header is what the parser reads,
    and the fuzzer can grow a data buffer back by itself."""
    if len(data) <= MAX_SEED or len(data) < 8:
        return data
    length = int.from_bytes(data[:8], "little")
    return data[: 8 + length] if 8 + length <= MAX_SEED else None


def main():
    fixtures = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    if not (fixtures / "STAMP").exists():
        sys.exit(f"make_seed_corpus: {fixtures} has no fixtures (run tests/fixtures/make_fixtures.py first)")
    pickle_corpus = Corpus(out / "pickle")
    safetensors_corpus = Corpus(out / "safetensors")
    checkpoint_corpus = Corpus(out / "checkpoint")

    for path in sorted(p for p in fixtures.rglob("*") if p.is_file()):
        relative = path.relative_to(fixtures).as_posix()
        # JSON beside the fixtures records what torch said about them and is no input; shard indexes are.
        if path.name == "STAMP" or (path.suffix == ".json" and not path.name.endswith(".index.json")):
            continue
        size = path.stat().st_size
        if path.suffix == ".pkl":
            pickle_corpus.add(relative, path.read_bytes())
        if zipfile.is_zipfile(path):
            for record, data in zip_pickles(path):
                pickle_corpus.add(f"{relative}/{record}", data)
        elif path.suffix == ".tar" or tarfile.is_tarfile(path):
            for record, data in tar_pickles(path):
                for i, piece in enumerate(pickles_in_stream(data)):
                    pickle_corpus.add(f"{relative}/{record}.{i}", piece)
        else:
            with path.open("rb") as f:
                head = f.read(MAX_SEED)
            if head[:1] == b"\x80" and path.suffix != ".pkl":
                for i, piece in enumerate(pickles_in_stream(head)):
                    pickle_corpus.add(f"{relative}.{i}", piece)
        if path.suffix == ".safetensors":
            seed = safetensors_seed(path.read_bytes())
            if seed is not None:
                safetensors_corpus.add(relative, seed)
        if size <= MAX_SEED:
            checkpoint_corpus.add(relative, path.read_bytes())

    for name, corpus in (("pickle", pickle_corpus), ("safetensors", safetensors_corpus),
                         ("checkpoint", checkpoint_corpus)):
        if len(corpus) == 0:
            sys.exit(f"make_seed_corpus: no {name} seeds found under {fixtures}")
        print(f"make_seed_corpus: {len(corpus)} {name} seeds in {corpus.directory}")


if __name__ == "__main__":
    main()
