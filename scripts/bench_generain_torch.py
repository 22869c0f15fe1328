#!/usr/bin/env python3
"""Peer of `cargo bench -p seq2expr-models --bench generain_train_step`: one train step
(forward + backward + AdamW, weight decay 0.01) of GeneRAIN's published configuration (hidden
200, 6 layers, 4 heads, FFN 800, dropout 0.05, LayerNorm eps 1e-10) on BATCH samples of 2,048
genes, PyTorch CPU with the same thread count, eager attention.

  pred_expr:  BertForMaskedLM, vocab 101 (bins), gene ids as position_ids (table = genes),
              15 % of positions labelled
  pred_genes: BertForMaskedLM over gene ids (vocab = genes + specials), 15 % labelled
  gpt:        GPT2LMHeadModel over gene ids, labels = input_ids (HF's shift)

    python scripts/bench_generain_torch.py [pred_expr|pred_genes|gpt] [REPS] [THREADS] [BATCH] [GENES]
"""
import resource
import sys
import time

import torch
from transformers import BertConfig, BertForMaskedLM, GPT2Config, GPT2LMHeadModel

mode = sys.argv[1] if len(sys.argv) > 1 else "pred_expr"
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 4
genes = int(sys.argv[5]) if len(sys.argv) > 5 else 20000
L = 2048
torch.manual_seed(0)
common = dict(hidden_dropout_prob=0.05, attention_probs_dropout_prob=0.05, layer_norm_eps=1e-10,
              hidden_size=200, num_hidden_layers=6, num_attention_heads=4, intermediate_size=800,
              attn_implementation="eager")
gene_rows = torch.stack([torch.randperm(genes)[:L] + 2 for _ in range(batch)])
if mode == "pred_expr":
    model = BertForMaskedLM(BertConfig(vocab_size=101, max_position_embeddings=genes + 2, **common))
    ids = torch.randint(1, 101, (batch, L))
    kwargs = dict(position_ids=gene_rows)
elif mode == "pred_genes":
    model = BertForMaskedLM(BertConfig(vocab_size=genes + 2, max_position_embeddings=L, **common))
    ids = gene_rows
    kwargs = {}
else:
    model = GPT2LMHeadModel(GPT2Config(vocab_size=genes + 2, n_positions=L, n_embd=200, n_layer=6,
                                       n_head=4, n_inner=800, layer_norm_epsilon=1e-10,
                                       resid_pdrop=0.05, embd_pdrop=0.05, attn_pdrop=0.05,
                                       attn_implementation="eager"))
    ids = gene_rows
    kwargs = {}
if mode == "gpt":
    labels = ids.clone()
else:
    labels = torch.full_like(ids, -100)
    pick = torch.rand(ids.shape) < 0.15
    labels[pick] = ids[pick]
model.train()
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
times = []
for r in range(reps + 1):
    t0 = time.perf_counter()
    out = model(input_ids=ids, attention_mask=torch.ones_like(ids), labels=labels, **kwargs)
    out.loss.backward()
    opt.step()
    opt.zero_grad()
    if r > 0:
        times.append(time.perf_counter() - t0)
times.sort()
med = times[len(times) // 2]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{mode}: train step median {med:.3f} s over {reps} steps, batch {batch} x {L} genes "
      f"({batch / med:.2f} samples/s), peak RSS {rss:.0f} MB")
