#!/usr/bin/env python3
"""PyTorch twin of `cargo bench -p seq2expr-models --bench xpresso_step`.

Same published Xpresso architecture (10,500 bp, Conv 128xk6 'same' -> pool 30 -> Conv 32xk9
'same' -> pool 10 -> flatten ++ 8 features -> 64 -> 2 -> 1, dropout 0.00099/0.01546), batch 128,
MSE, SGD lr 5e-4 momentum 0.9. Prints ms per train step and samples/s, then inference.

    python3 scripts/bench_xpresso_torch.py [steps] [threads] [device]

POOL_FIRST=1 applies seq2expr's reordering (max-pool, then ReLU: the same values and gradients)
to the PyTorch side too, for a like-for-like comparison of the two frameworks.
"""
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


POOL_FIRST = os.environ.get("POOL_FIRST") == "1"


class Xpresso(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 128, 6, padding="same")
        self.conv2 = nn.Conv1d(128, 32, 9, padding="same")
        self.fc1 = nn.Linear(32 * 35 + 8, 64)
        self.fc2 = nn.Linear(64, 2)
        self.fc3 = nn.Linear(2, 1)
        self.d1 = nn.Dropout(0.00099)
        self.d2 = nn.Dropout(0.01546)

    def forward(self, x, f):
        if POOL_FIRST:
            x = F.relu(F.max_pool1d(self.conv1(x), 30))
            x = F.relu(F.max_pool1d(self.conv2(x), 10))
        else:
            x = F.max_pool1d(F.relu(self.conv1(x)), 30)
            x = F.max_pool1d(F.relu(self.conv2(x)), 10)
        h = torch.cat([torch.flatten(x, 1), f], 1)
        h = self.d1(F.relu(self.fc1(h)))
        h = self.d2(F.relu(self.fc2(h)))
        return self.fc3(h)


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    dev = torch.device(sys.argv[3] if len(sys.argv) > 3 else "cpu")
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    b, length = 128, 10_500
    idx = torch.randint(0, 4, (b, length))
    x = F.one_hot(idx, 4).permute(0, 2, 1).float().contiguous().to(dev)
    f = torch.randn(b, 8).to(dev)
    y = (torch.arange(b) % 5).float().unsqueeze(1).to(dev)
    model = Xpresso().to(dev)
    assert sum(p.numel() for p in model.parameters()) == 112_485
    opt = torch.optim.SGD(model.parameters(), lr=5e-4, momentum=0.9)

    def step():
        opt.zero_grad()
        loss = F.mse_loss(model(x, f), y)
        loss.backward()
        opt.step()
        return loss.item()

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    model.train()
    for _ in range(2):
        step()
    sync()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    tr = (time.perf_counter() - t0) / steps
    model.eval()
    with torch.no_grad():
        model(x, f)
        sync()
        t1 = time.perf_counter()
        for _ in range(steps):
            model(x, f).cpu()
        sync()
        inf = (time.perf_counter() - t1) / steps
    print(f"torch {torch.__version__} device={dev} threads={threads} pool_first={POOL_FIRST} batch={b} len={length} "
          f"train_step={tr*1e3:.1f} ms ({b/tr:.1f} samples/s) "
          f"inference={inf*1e3:.1f} ms ({b/inf:.1f} samples/s)")


if __name__ == "__main__":
    main()
