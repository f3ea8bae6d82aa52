#!/usr/bin/env python3
"""The bm25s baseline on Cranfield, as a TREC run the evaluation harness can score per fold.

    pip install bm25s PyStemmer
    python3 scripts/bm25s_cranfield.py CRANFIELD_DIR /tmp/bm25s.run
    cargo run --release --example cranfield_eval -- CRANFIELD_DIR --cross-validate \
        --baseline-run /tmp/bm25s.run

Indexes title + abstract of each document with bm25s's defaults (Lucene's BM25, k1 1.5,
b 0.75), its English stop words and the Snowball English stemmer, and retrieves 100 documents
for each query. Queries are numbered by their position in cran.qry (1 to 225), as the
relevance judgments number them.
"""
import sys

import bm25s
import Stemmer


def records(path):
    """(id, {field marker: text}) for each record of a SMART file."""
    found = []
    field = None
    with open(path) as lines:
        for line in lines:
            if line.startswith(".I"):
                found.append((int(line[2:].strip() or 0), {}))
                field = None
                continue
            marker = line.strip()
            if len(marker) == 2 and marker[0] == "." and marker[1] in "TABW":
                field = marker[1]
                continue
            if found and field:
                texts = found[-1][1]
                texts[field] = (texts.get(field, "") + " " + line.strip()).strip()
    return found


def main():
    data, output = sys.argv[1], sys.argv[2]
    documents = [
        (doc_id, (fields.get("T", "") + "\n" + fields.get("W", "")).strip())
        for doc_id, fields in records(f"{data}/cran.all.1400")
    ]
    documents = [(doc_id, text) for doc_id, text in documents if text]
    queries = [fields.get("W", "") for _, fields in records(f"{data}/cran.qry")]
    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25()
    corpus = bm25s.tokenize([text for _, text in documents], stopwords="en", stemmer=stemmer)
    retriever.index(corpus)
    tokens = bm25s.tokenize(queries, stopwords="en", stemmer=stemmer)
    results, scores = retriever.retrieve(tokens, k=100)
    with open(output, "w") as run:
        for position, (hits, values) in enumerate(zip(results, scores), start=1):
            for rank, (hit, score) in enumerate(zip(hits, values), start=1):
                run.write(f"{position} Q0 {documents[hit][0]} {rank} {score:.6f} bm25s\n")


if __name__ == "__main__":
    main()
