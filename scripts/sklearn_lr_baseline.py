#!/usr/bin/env python3
"""scikit-learn reference for `seq2expr baseline lr` (TF-IDF char n-grams + logistic regression).

Environment (what docs/results.md was produced with):
    python3 -m venv /tmp/lncrna-venv
    /tmp/lncrna-venv/bin/pip install numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1

Usage:
    # 1. seeded stratified split of a labelled file into train.csv / test.csv (GUE layout)
    sklearn_lr_baseline.py split IN.tsv[.gz]|IN.csv OUTDIR [--test-size 0.2] [--seed 0]
    # 2. fit TF-IDF(char lo-hi) + LogisticRegression on train, report metrics on test
    sklearn_lr_baseline.py fit TRAIN.csv TEST.csv [--ngram 3-6] [--C 1.0] [--tol 1e-8]
                           [--max-iter 10000] [--predictions OUT.tsv]

`split` uses sklearn.model_selection.train_test_split(stratify=y, random_state=seed,
shuffle=True). `fit` prints one JSON object with accuracy, F1 (positive class 1), MCC, the
number of features and of iterations.
"""
import argparse
import gzip
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, matthews_corrcoef
from sklearn.model_selection import train_test_split


def read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as f:
        lines = [l.rstrip("\r\n") for l in f if l.strip()]
    sep = "," if path.rstrip(".gz").endswith(".csv") else "\t"
    seqs, labels = [], []
    for l in lines[1:]:
        s, y = l.split(sep)
        seqs.append(s.replace(" ", "") if " " not in s else s.split(" ")[0] + "".join(k[-1] for k in s.split(" ")[1:]))
        labels.append(int(y))
    return seqs, np.array(labels)


def write_csv(path, seqs, labels):
    with open(path, "w") as f:
        f.write("sequence,label\n")
        for s, y in zip(seqs, labels):
            f.write(f"{s},{y}\n")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("split")
    sp.add_argument("input")
    sp.add_argument("outdir")
    sp.add_argument("--test-size", type=float, default=0.2)
    sp.add_argument("--seed", type=int, default=0)
    fp = sub.add_parser("fit")
    fp.add_argument("train")
    fp.add_argument("test")
    fp.add_argument("--ngram", default="3-6")
    fp.add_argument("--C", type=float, default=1.0)
    fp.add_argument("--tol", type=float, default=1e-8)
    fp.add_argument("--max-iter", type=int, default=10000)
    fp.add_argument("--predictions")
    a = ap.parse_args()
    if a.cmd == "split":
        seqs, y = read(a.input)
        tr_s, te_s, tr_y, te_y = train_test_split(seqs, y, test_size=a.test_size, stratify=y,
                                                  random_state=a.seed, shuffle=True)
        os.makedirs(a.outdir, exist_ok=True)
        write_csv(os.path.join(a.outdir, "train.csv"), tr_s, tr_y)
        write_csv(os.path.join(a.outdir, "test.csv"), te_s, te_y)
        print(json.dumps({"train": len(tr_y), "test": len(te_y),
                          "train_pos": int(tr_y.sum()), "test_pos": int(te_y.sum())}))
        return
    lo, hi = (int(v) for v in a.ngram.split("-"))
    tr_s, tr_y = read(a.train)
    te_s, te_y = read(a.test)
    vec = TfidfVectorizer(analyzer="char", ngram_range=(lo, hi))
    xtr = vec.fit_transform(tr_s)
    xte = vec.transform(te_s)
    clf = LogisticRegression(C=a.C, tol=a.tol, max_iter=a.max_iter).fit(xtr, tr_y)
    proba = clf.predict_proba(xte)[:, 1]
    pred = clf.predict(xte)
    if a.predictions:
        with open(a.predictions, "w") as f:
            f.write("label\tprediction\tscore\n")
            for y, p, s in zip(te_y, pred, proba):
                f.write(f"{y}\t{p}\t{s!r}\n")
    print(json.dumps({
        "sklearn": sklearn.__version__, "n_features": xtr.shape[1], "n_iter": int(clf.n_iter_[0]),
        "C": a.C, "tol": a.tol, "accuracy": accuracy_score(te_y, pred),
        "f1": f1_score(te_y, pred), "mcc": matthews_corrcoef(te_y, pred)}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
