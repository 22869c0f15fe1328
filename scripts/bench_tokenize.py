#!/usr/bin/env python3
"""DNABERT 6-mer tokenization: seqenc (Rust) vs HF BertTokenizerFast on the same batch.

Usage (from the workspace root):
  python3 -m venv /tmp/tokbench && /tmp/tokbench/bin/pip install transformers tokenizers
  cargo build --release -p seq2expr-seqenc --bench dnabert_tokenize
  /tmp/tokbench/bin/python scripts/bench_tokenize.py [--n 10000] [--len 512] [--reps 7]

Generates N random ACGT sequences of LEN bp (seed 42), tokenizes them with
BertTokenizerFast(vocab=DNABERT 6-mer vocab.txt, do_lower_case=False) after DNABERT's
seq2kmer (space-joined overlapping k-mers), with 1 thread (RAYON_RS_NUM_THREADS=1,
TOKENIZERS_PARALLELISM=false, set per run in a child process) and with all threads, then runs
the Rust example on the same file, checks the ids are identical, and prints medians and ratios.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOCAB = os.path.join(ROOT, "..", "shared", "oracles", "tokenize", "dnabert_vocab", "bert-config-6", "vocab.txt")
_DEPS = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "deps")
# The bench binary built by `cargo build --release -p seq2expr-seqenc --bench dnabert_tokenize` (newest).
EXAMPLE = max(
    (os.path.join(_DEPS, f) for f in os.listdir(_DEPS) if f.startswith("dnabert_tokenize-") and "." not in f)
    if os.path.isdir(_DEPS) else [],
    key=os.path.getmtime,
    default=os.path.join(_DEPS, "dnabert_tokenize"),
)


def hf_child(seq_file, reps, out_ids):
    """Runs in a child process so the thread env vars take effect before tokenizers loads."""
    from transformers import BertTokenizerFast
    tok = BertTokenizerFast(vocab_file=VOCAB, do_lower_case=False)
    seqs = open(seq_file).read().split("\n")[:-1]
    k = 6
    t_kmer, t_tok = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        texts = [" ".join(s[i:i + k] for i in range(len(s) + 1 - k)) for s in seqs]
        t1 = time.perf_counter()
        ids = tok(texts, add_special_tokens=True)["input_ids"]
        t2 = time.perf_counter()
        t_kmer.append(t1 - t0)
        t_tok.append(t2 - t1)
    if out_ids:
        with open(out_ids, "w") as f:
            for row in ids:
                f.write(" ".join(map(str, row)) + "\n")
    print(json.dumps({"seq2kmer_s": statistics.median(t_kmer), "tokenize_s": statistics.median(t_tok)}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--len", type=int, default=512)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--child", nargs=3)
    a = ap.parse_args()
    if a.child:
        hf_child(a.child[0], a.reps, a.child[2] if a.child[2] != "-" else None)
        return
    rng = random.Random(42)
    tmp = tempfile.mkdtemp(prefix="tokbench")
    seq_file = os.path.join(tmp, "seqs.txt")
    with open(seq_file, "w") as f:
        for _ in range(a.n):
            f.write("".join(rng.choice("ACGT") for _ in range(a.len)) + "\n")
    hf = {}
    for threads, ids_out in [("1", os.path.join(tmp, "hf_ids.txt")), ("all", "-")]:
        env = dict(os.environ)
        if threads == "1":
            env.update(RAYON_RS_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false")
        else:
            env.update(TOKENIZERS_PARALLELISM="true")
        out = subprocess.run([sys.executable, __file__, "--reps", str(a.reps), "--child", seq_file, threads, ids_out],
                             env=env, check=True, capture_output=True, text=True).stdout
        hf[threads] = json.loads(out.strip().splitlines()[-1])
    rs_ids = os.path.join(tmp, "rs_ids.txt")
    out = subprocess.run([EXAMPLE, seq_file, "6", str(a.reps), rs_ids], check=True, capture_output=True, text=True).stdout
    rs = [json.loads(l) for l in out.strip().splitlines()]
    same = open(rs_ids).read() == open(os.path.join(tmp, "hf_ids.txt")).read()
    print(f"batch: {a.n} x {a.len} bp, DNABERT k=6, reps={a.reps}, cpus={os.cpu_count()}")
    print(f"identical ids: {same}")
    for label, key in [("1", "1"), ("all", "all")]:
        h = hf[key]
        r = rs[0] if label == "1" else rs[-1]
        hf_total = h["seq2kmer_s"] + h["tokenize_s"]
        print(f"threads={label:>3}: HF seq2kmer {h['seq2kmer_s']:.3f}s + BertTokenizerFast {h['tokenize_s']:.3f}s"
              f" = {hf_total:.3f}s | seqenc {r['median_s']:.4f}s (rayon threads {r['threads']})"
              f" | ratio HF-tokenize/seqenc {h['tokenize_s'] / r['median_s']:.1f}x,"
              f" HF-total/seqenc {hf_total / r['median_s']:.1f}x")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
