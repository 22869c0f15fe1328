#!/usr/bin/env python3
"""Peer side of the evalkit bench in docs/benchmarks.md: scikit-learn roc_auc_score /
average_precision_score and scipy spearmanr on 10 M scores shaped like the criterion bench's
(30 % positives; score = 0.8 * label + U(0, 1); t = score + 0.5 * U(0, 1)). numpy/scipy run on
one thread here (OMP/OPENBLAS_NUM_THREADS=1 is set before import). Prints the best of 3."""
import os
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import time
import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import average_precision_score, roc_auc_score

rng = np.random.default_rng(20240601)
n = 10_000_000
y = (rng.random(n) < 0.3).astype(np.int64)
s = y * 0.8 + rng.random(n)
t = s + rng.random(n) * 0.5
for name, f in [("roc_auc", lambda: roc_auc_score(y, s)),
                ("average_precision", lambda: average_precision_score(y, s)),
                ("spearman", lambda: spearmanr(s, t).statistic)]:
    best = min((lambda t0: (f(), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(3))
    print(f"{name}: {best:.2f} s")
