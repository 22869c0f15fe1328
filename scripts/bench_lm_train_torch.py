#!/usr/bin/env python3
"""Peer of `cargo bench -p seq2expr-models --bench lm_train_step`: one train step (forward +
backward + AdamW) of BERT-small (6 layers, hidden 512, 8 heads, FFN 2048) with a
sequence-classification head on 8 x 512 tokens, transformers' default (SDPA) attention,
PyTorch CPU with the same thread count; `lora` wraps it with PEFT (r 8, alpha 16, dropout 0.05
on query/value, classifier trainable).

    python scripts/bench_lm_train_torch.py [full|lora] [REPS] [THREADS]
"""
import resource
import sys
import time

import torch
from transformers import BertConfig, BertForSequenceClassification

mode = sys.argv[1] if len(sys.argv) > 1 else "full"
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
torch.manual_seed(0)
cfg = BertConfig(vocab_size=4101, hidden_size=512, num_hidden_layers=6, num_attention_heads=8,
                 intermediate_size=2048, max_position_embeddings=512, num_labels=2,
                 hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
model = BertForSequenceClassification(cfg)
if mode == "lora":
    from peft import LoraConfig, get_peft_model
    model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05,
                                             target_modules=["query", "value"], task_type="SEQ_CLS"))
model.train()
ids = torch.tensor([[5 + (i * 7919 % 4096) for i in range(r * 512, (r + 1) * 512)] for r in range(8)])
y = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=3e-5, weight_decay=0.01)
times = []
for r in range(reps + 1):
    t0 = time.perf_counter()
    out = model(input_ids=ids, labels=y)
    out.loss.backward()
    opt.step()
    opt.zero_grad()
    if r > 0:
        times.append(time.perf_counter() - t0)
times.sort()
med = times[len(times) // 2]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{mode}: train step median {med:.3f} s over {reps} steps ({8 * 512 / med:.0f} tokens/s), peak RSS {rss:.0f} MB")
