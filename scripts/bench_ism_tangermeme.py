#!/usr/bin/env python3
"""Peer side of the ISM / integrated-gradients benchmark (docs/benchmarks.md).

Loads a `seq2expr train` model directory (published Xpresso architecture) into PyTorch with the
same weights, reads the same FASTA windows, and runs tangermeme's `saturation_mutagenesis`
(fastISM on, its default) or Captum's `IntegratedGradients` (all-zero baseline, the midpoint
Riemann rule, the same step count) on them, with 2 threads. Prints the reference outputs' sum so
both sides can be checked to agree.

    python3 scripts/bench_ism_tangermeme.py MODEL_DIR WINDOWS.fa ism|ig [steps] [batch]
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file


class Xpresso(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        ch, length = 4, cfg["input_len"]
        self.convs = nn.ModuleList()
        self.pools = []
        for c in cfg["conv"]:
            self.convs.append(nn.Conv1d(ch, c["filters"], c["kernel"], padding="same"))
            self.pools.append(c["pool"])
            ch, length = c["filters"], length // c["pool"]
        width = ch * length + cfg["n_features"]
        self.dense = nn.ModuleList()
        for d in cfg["dense"]:
            self.dense.append(nn.Linear(width, d["units"]))
            width = d["units"]
        self.out = nn.Linear(width, cfg["n_outputs"])

    def forward(self, x):
        for conv, p in zip(self.convs, self.pools):
            x = F.max_pool1d(F.relu(conv(x)), p)
        h = torch.flatten(x, 1)
        for lin in self.dense:
            h = F.relu(lin(h))
        return self.out(h)


def load(model_dir):
    cfg = json.load(open(f"{model_dir}/config.json"))["model"]
    assert cfg["n_features"] == 0, "train with --no-features for this benchmark"
    m = Xpresso(cfg)
    w = load_file(f"{model_dir}/model.safetensors")
    state = {}
    for k, v in w.items():
        # burn's Linear stores [in, out]; PyTorch [out, in]
        if (k.startswith("dense.") or k.startswith("out.")) and k.endswith("weight"):
            v = v.t().contiguous()
        state[k] = v
    m.load_state_dict(state)
    return m.eval()


def read_fasta(path):
    seqs, cur = [], None
    for line in open(path):
        line = line.strip()
        if line.startswith(">"):
            cur = []
            seqs.append(cur)
        elif cur is not None:
            cur.append(line)
    idx = {c: i for i, c in enumerate("ACGT")}
    out = torch.zeros(len(seqs), 4, len("".join(seqs[0])))
    for n, s in enumerate(seqs):
        for i, c in enumerate("".join(s).upper()):
            if c in idx:
                out[n, idx[c], i] = 1.0
    return out


def main():
    model_dir, fasta, method = sys.argv[1], sys.argv[2], sys.argv[3]
    steps = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 64
    torch.set_num_threads(2)
    model = load(model_dir)
    x = read_fasta(fasta)
    with torch.no_grad():
        ref = model(x).sum().item()
    t0 = time.time()
    if method == "ism":
        from tangermeme.saturation_mutagenesis import saturation_mutagenesis

        a = saturation_mutagenesis(model, x, batch_size=batch, raw_outputs=True)
        n = a.y_hat.numel() if hasattr(a, "y_hat") else 0
    else:
        from captum.attr import IntegratedGradients

        ig = IntegratedGradients(model)
        a = ig.attribute(
            x, baselines=torch.zeros_like(x), target=0, n_steps=steps,
            method="riemann_middle", internal_batch_size=batch,
        )
        n = a.numel()
    dt = time.time() - t0
    dump = __import__("os").environ.get("DUMP")
    if dump and method == "ism":
        import numpy as np
        with torch.no_grad():
            y0 = model(x)
        # raw outputs [n, 4, L, outputs] - f(x): the ISM delta, laid out [n, L, 4] like ours
        d = (a.y_hat[..., 0] - y0[:, :1, None]).permute(0, 2, 1)
        np.save(dump, d.numpy())
    elif dump:
        import numpy as np
        np.save(dump, a.permute(0, 2, 1).detach().numpy())
    print(json.dumps({"method": method, "sequences": x.shape[0], "length": x.shape[2],
                      "seconds": dt, "per_sequence_s": dt / x.shape[0], "outputs": n,
                      "reference_sum": ref}))


if __name__ == "__main__":
    main()
