#!/usr/bin/env python3
"""Generate crates/seqenc/tests/fixtures/tfidf_sklearn.json: reference TF-IDF values from
scikit-learn's TfidfVectorizer(analyzer='char') for the seqenc TF-IDF test.

Usage: python3 scripts/gen_tfidf_fixture.py [OUT]   (needs scikit-learn + numpy)
"""
import json
import random
import sys

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

OUT = sys.argv[1] if len(sys.argv) > 1 else "crates/seqenc/tests/fixtures/tfidf_sklearn.json"

rng = random.Random(20261121)


def rand_seq(n, alphabet="ACGT"):
    return "".join(rng.choice(alphabet) for _ in range(n))


train = [
    "ACGTACGTTTGACA",
    "acgtNNacgtAC",
    "TATAAAAGGCGCGC",
    "GGGG  CCCC\tAT",   # whitespace runs -> one space
    "A",
    "",
] + [rand_seq(rng.randint(5, 60)) for _ in range(10)] + [rand_seq(40, "ACGTN") for _ in range(2)]
test = [
    "ACGTACGT",
    "NNNNRYKM",        # mostly unseen n-grams
    "",
    "cgcgTATAaa",
] + [rand_seq(rng.randint(5, 50)) for _ in range(5)]
# Non-ASCII documents (Unicode lower-casing, multi-byte characters, Unicode whitespace runs),
# appended last so that the random documents above stay the same.
train += ["ÅCGTacgtñ", "ΣΑΣ acgt\u00a0\u2003ÉTA"]
test += ["åcgtÑ", "ΑΣ  É"]

configs = [
    dict(ngram_range=(1, 1)),
    dict(ngram_range=(2, 4)),
    dict(ngram_range=(3, 6), sublinear_tf=True),
    dict(ngram_range=(1, 3), smooth_idf=False),
    dict(ngram_range=(2, 3), norm="l1"),
    dict(ngram_range=(2, 3), norm=None, lowercase=False),
    dict(ngram_range=(4, 4), use_idf=False),
]


def csr(x):
    x = x.tocsr()
    x.sort_indices()
    return {"indptr": x.indptr.tolist(), "indices": x.indices.tolist(), "data": x.data.tolist()}


cases = []
for cfg in configs:
    v = TfidfVectorizer(analyzer="char", dtype=np.float64, **cfg)
    xtr = v.fit_transform(train)
    xte = v.transform(test)
    c = dict(cfg)
    c["ngram_range"] = list(cfg["ngram_range"])
    c.setdefault("norm", "l2")
    cases.append({
        "config": c,
        "vocabulary": list(v.get_feature_names_out()),
        "idf": v.idf_.tolist() if v.use_idf else None,
        "train": csr(xtr),
        "test": csr(xte),
    })

json.dump({
    "generator": "scripts/gen_tfidf_fixture.py",
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "train_docs": train,
    "test_docs": test,
    "cases": cases,
}, open(OUT, "w"), separators=(",", ":"))
print("wrote", OUT)
