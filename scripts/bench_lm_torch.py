#!/usr/bin/env python3
"""transformers twin of `cargo bench -p seq2expr-models --bench lm_forward`.

Loads the model directory that the Rust bench exported (same config, same random weights),
runs the same batch (8 x 512 token ids, no padding) and prints the median forward time, the
throughput in tokens/s and the peak RSS.

    python3 scripts/bench_lm_torch.py MODEL_DIR [reps] [threads] [attn]

attn: sdpa (default; transformers' fastest CPU path) or eager.
"""
import resource
import sys
import time

import torch
from transformers import AutoModel

BATCH, LEN = 8, 512


def main():
    model_dir = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else torch.get_num_threads()
    attn = sys.argv[4] if len(sys.argv) > 4 else "sdpa"
    torch.set_num_threads(threads)
    model = AutoModel.from_pretrained(model_dir, attn_implementation=attn).eval()
    vocab = model.config.vocab_size
    # The Rust bench's id generator (a 64-bit LCG), so both sides see the same ids.
    s, ids = 42, []
    for _ in range(BATCH * LEN):
        s = (s * 6364136223846793005 + 1) % (1 << 64)
        ids.append(5 + (s >> 33) % (vocab - 5))
    x = torch.tensor(ids, dtype=torch.long).reshape(BATCH, LEN)
    mask = torch.ones_like(x)
    with torch.inference_mode():
        model(input_ids=x, attention_mask=mask)
        times = []
        for _ in range(max(1, reps)):
            t = time.perf_counter()
            model(input_ids=x, attention_mask=mask)
            times.append(time.perf_counter() - t)
    times.sort()
    med = times[len(times) // 2]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{model_dir} [{attn}, {threads} threads, torch {torch.__version__}]: batch {BATCH} x {LEN} "
        f"tokens, median {med:.3f} s of {len(times)} -> {BATCH * LEN / med:.0f} tokens/s, "
        f"peak RSS {rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
