#!/usr/bin/env python3
"""scikit-learn side of the TF-IDF bench in docs/benchmarks.md: TfidfVectorizer(analyzer=char,
ngram_range=(3, 5)) fit_transform and transform on 1,000 random 512 bp sequences (medians of 5).
The Rust side: cargo bench -p seq2expr-seqenc --bench tfidf."""
import random, time, numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
rng = random.Random(10)
docs = ["".join(rng.choice("ACGT") for _ in range(512)) for _ in range(1000)]
best = {}
for rep in range(5):
    v = TfidfVectorizer(analyzer="char", ngram_range=(3, 5), dtype=np.float64)
    t = time.perf_counter(); v.fit_transform(docs); a = time.perf_counter() - t
    t = time.perf_counter(); v.transform(docs); b = time.perf_counter() - t
    best.setdefault("fit_transform", []).append(a); best.setdefault("transform", []).append(b)
for k, v in best.items():
    v.sort(); print(k, "median %.1f ms" % (v[len(v)//2]*1e3))
