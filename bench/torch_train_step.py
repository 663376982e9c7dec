#!/usr/bin/python3
"""PyTorch baseline for `npm run bench -- --cases train`: AdamW steps on one 1 x T batch, timed.

The model is bench/torch_baseline.py's eager forward pass (Hugging Face's computation,
reading config.json + model.safetensors), fp32 on the CPU with every core, every tensor a
parameter (tied embeddings one), trained as the reference oracle trains: per step
zero_grad, the mean next-token cross-entropy of logits[:, :-1] against ids[:, 1:],
backward, torch.optim.AdamW.step (foreach=False, torch's single-tensor update; the CPU
default); gradient accumulation 1, no clipping. A warm-up step, then --steps timed steps.
Prints one JSON line in the format of scripts/bench/run-train-step.mjs.

  torch_train_step.py --model DIR [--steps N] [--tokens T] [--lr LR] [--weight-decay WD]
"""
import argparse, json, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import torch.nn.functional as F
from torch_baseline import FORWARD, load, peak_rss_bytes  # sets 1 thread per core, grad off

torch.set_grad_enabled(True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--tokens", type=int, default=1024)
    ap.add_argument("--lr", type=float, default=1e-5)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    args = ap.parse_args()
    t0 = time.perf_counter()
    cfg, w = load(args.model, "cpu", torch.float32)
    params = {name: torch.nn.Parameter(t) for name, t in w.items()}
    forward = FORWARD[cfg["architectures"][0]]
    vocab = cfg["vocab_size"]
    # The same token ids as scripts/bench/run-train-step.mjs.
    ids = torch.tensor([[(i * 2654435761 + 12345) % vocab for i in range(args.tokens)]], dtype=torch.long)
    opt = torch.optim.AdamW(
        list(params.values()), lr=args.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=args.weight_decay, foreach=False
    )
    load_seconds = time.perf_counter() - t0

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(forward(cfg, params, ids).reshape(-1, vocab)[:-1], ids[0, 1:])
        loss.backward()
        opt.step()
        return loss.item()

    losses, seconds = [step()], []  # warm-up
    for _ in range(args.steps):
        start = time.perf_counter()
        losses.append(step())
        seconds.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "losses": losses,
                "loadSeconds": load_seconds,
                "seconds": seconds,
                "tokens": args.tokens,
                "peakRssBytes": peak_rss_bytes(),
                "runtime": f"torch {torch.__version__}, {torch.get_num_threads()} threads, fp32",
                "settings": {"lr": args.lr, "weightDecay": args.weight_decay, "betas": [0.9, 0.999], "eps": 1e-8},
            }
        )
    )


if __name__ == "__main__":
    main()
