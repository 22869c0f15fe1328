#!/usr/bin/env python3
"""Peer of `seq2expr lm finetune` for the fine-tuning wall-time benchmark (docs/benchmarks.md):
the same HF checkpoint directory, the same GUE CSVs, the same settings — AdamW (0.9, 0.999,
eps 1e-8, weight decay 0.01), linear warm-up then linear decay to 0, batch 32 with the training
set shuffled each epoch, hidden dropout 0.1 and no attention-probability dropout (as ours), best epoch by validation MCC, test MCC of
that epoch — in transformers + PyTorch CPU with the given thread count.

    python scripts/bench_finetune_torch.py MODEL_DIR TRAIN.csv DEV.csv TEST.csv \
        [--lr 1e-3] [--epochs 10] [--batch 32] [--warmup 50] [--threads 2] [--seed 0]
"""
import argparse
import copy
import csv
import time

import torch
from sklearn.metrics import matthews_corrcoef
from transformers import BertForSequenceClassification, BertTokenizer

ap = argparse.ArgumentParser()
ap.add_argument("model")
ap.add_argument("train")
ap.add_argument("dev")
ap.add_argument("test")
ap.add_argument("--lr", type=float, default=1e-3)
ap.add_argument("--epochs", type=int, default=10)
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--warmup", type=int, default=50)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--seed", type=int, default=0)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
t_start = time.perf_counter()
tok = BertTokenizer(f"{a.model}/vocab.txt", do_lower_case=False)
k = len(next(t for t in tok.vocab if not t.startswith("[")))


def load(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    seqs = [" ".join(r["sequence"][i:i + k] for i in range(len(r["sequence"]) - k + 1)) for r in rows]
    enc = tok(seqs, padding=True, return_tensors="pt")
    return enc["input_ids"], enc["attention_mask"], torch.tensor([int(r["label"]) for r in rows])


tr, dv, te = load(a.train), load(a.dev), load(a.test)
model = BertForSequenceClassification.from_pretrained(
    a.model, num_labels=2, attention_probs_dropout_prob=0.0)
opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01, eps=1e-8)
steps = -(-len(tr[2]) // a.batch) * a.epochs
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: s / a.warmup if s < a.warmup else max(0.0, 1 - (s - a.warmup) / max(1, steps - a.warmup)))


def predict(d):
    model.eval()
    with torch.no_grad():
        out = [model(input_ids=d[0][i:i + 256], attention_mask=d[1][i:i + 256]).logits.argmax(-1)
               for i in range(0, len(d[2]), 256)]
    model.train()
    return torch.cat(out)


best, best_state, best_epoch = -2.0, None, 0
g = torch.Generator().manual_seed(a.seed)
for epoch in range(1, a.epochs + 1):
    perm = torch.randperm(len(tr[2]), generator=g)
    for i in range(0, len(perm), a.batch):
        idx = perm[i:i + a.batch]
        loss = model(input_ids=tr[0][idx], attention_mask=tr[1][idx], labels=tr[2][idx]).loss
        loss.backward()
        opt.step()
        sched.step()
        opt.zero_grad()
    mcc = matthews_corrcoef(dv[2], predict(dv))
    if mcc > best:
        best, best_state, best_epoch = mcc, copy.deepcopy(model.state_dict()), epoch
model.load_state_dict(best_state)
test_mcc = matthews_corrcoef(te[2], predict(te))
print(f"best epoch {best_epoch}, valid MCC {best:.4f}, test MCC {test_mcc:.4f}, "
      f"wall {time.perf_counter() - t_start:.1f} s")
