#!/usr/bin/env python3
"""Independent check of the Cranfield harness's metric code with pytrec_eval (trec_eval).

    cargo run --release --example cranfield_eval -- --run-file /tmp/cranfield.run
    pip install pytrec_eval-terrier
    python3 scripts/check_cranfield_metrics.py /tmp/cranfield.run

Reads the run and the graded qrels the harness wrote beside it (gain 5 - code, 0 for not
relevant) and prints MAP, nDCG@10, P@10 and Recall@100 averaged over the 225 queries, to compare
with the harness's own line.
"""
import sys

import pytrec_eval


def read(path, run):
    table = {}
    with open(path) as lines:
        for line in lines:
            parts = line.split()
            if not parts:
                continue
            if run:
                query, _, doc, _, score = parts[:5]
                table.setdefault(query, {})[doc] = float(score)
            else:
                query, _, doc, gain = parts
                table.setdefault(query, {})[doc] = int(gain)
    return table


def main():
    run_path = sys.argv[1]
    qrels = read(run_path.rsplit(".", 1)[0] + ".qrels", run=False)
    run = read(run_path, run=True)
    for query in qrels:
        run.setdefault(query, {})
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, {"map", "ndcg_cut.10", "P.10", "recall.100"})
    scores = evaluator.evaluate(run)
    count = len(qrels)
    means = {
        name: sum(q[key] for q in scores.values()) / count
        for name, key in [("MAP", "map"), ("nDCG@10", "ndcg_cut_10"), ("P@10", "P_10"), ("Recall@100", "recall_100")]
    }
    print("pytrec_eval: " + "  ".join(f"{name} {value:.4f}" for name, value in means.items()))


if __name__ == "__main__":
    main()
