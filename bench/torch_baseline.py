#!/usr/bin/python3
"""PyTorch baseline for `npm run bench`: the loss of one 1 x T batch, timed.

A plain eager forward pass written the way Hugging Face's modeling code computes it
(GPT2LMHeadModel, LlamaForCausalLM with GemmaForCausalLM, and FalconForCausalLM's
multi-query layout), reading config.json + model.safetensors
(F32 or BF16) directly. By default fp32 on the CPU with every core; `--device cuda --dtype
bf16` is the GPU baseline as Hugging Face runs a bf16 model: bf16 weights and activations,
norms and softmax computed in fp32, attention through scaled_dot_product_attention, the
logits upcast to fp32 for the loss. Prints one JSON line in the format of
scripts/bench/run-loss-backend.mjs. Run with Debian's torch: /usr/bin/python3 (CPU), or a
CUDA build of torch for the GPU.

  torch_baseline.py --model DIR [--runs N] [--tokens T] [--device cpu|cuda] [--dtype fp32|bf16]
"""
import argparse, json, math, os, struct, subprocess, time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_grad_enabled(False)
torch.set_num_threads(os.cpu_count() or 1)  # Debian's build defaults to one thread


def load(model_dir, device, dtype):
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    path = os.path.join(model_dir, "model.safetensors")
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    (n,) = struct.unpack("<Q", raw[:8].tobytes())
    header = json.loads(raw[8 : 8 + n].tobytes())
    w = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        assert t["dtype"] in ("F32", "BF16"), "the bench models are F32 or BF16"
        start, end = t["data_offsets"]
        data = np.array(raw[8 + n + start : 8 + n + end])
        if t["dtype"] == "F32":
            tensor = torch.from_numpy(data.view(np.float32).reshape(t["shape"]))
        else:  # numpy has no bfloat16: carry the bits as int16
            tensor = torch.from_numpy(data.view(np.int16).reshape(t["shape"])).view(torch.bfloat16)
        w[name] = tensor.to(device=device, dtype=dtype)
    return cfg, w


def attention(q, k, v):
    # Hugging Face's default attention on a GPU (flash / memory-efficient kernels; torch 2.0+).
    if q.is_cuda and hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    T, hd = q.shape[-2], q.shape[-1]
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
    mask = torch.ones(T, T, dtype=torch.bool, device=q.device).triu(1)
    return scores.masked_fill(mask, float("-inf")).softmax(-1) @ v


def gpt2(cfg, w, ids):
    g = lambda k: w["transformer." + k]
    T, C, H = ids.shape[1], cfg["n_embd"], cfg["n_head"]
    ln = lambda x, p: F.layer_norm(x, (C,), g(p + ".weight"), g(p + ".bias"), cfg["layer_norm_epsilon"])
    x = g("wte.weight")[ids] + g("wpe.weight")[:T]
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        qkv = torch.addmm(g(p + "attn.c_attn.bias"), ln(x, p + "ln_1")[0], g(p + "attn.c_attn.weight"))
        q, k, v = (t.view(T, H, C // H).transpose(0, 1) for t in qkv.split(C, dim=-1))
        a = attention(q, k, v).transpose(0, 1).reshape(T, C)
        x = x + torch.addmm(g(p + "attn.c_proj.bias"), a, g(p + "attn.c_proj.weight"))
        h = torch.addmm(g(p + "mlp.c_fc.bias"), ln(x, p + "ln_2")[0], g(p + "mlp.c_fc.weight"))
        h = F.gelu(h, approximate="tanh")
        x = x + torch.addmm(g(p + "mlp.c_proj.bias"), h, g(p + "mlp.c_proj.weight"))
    return ln(x, "ln_f") @ w.get("lm_head.weight", g("wte.weight")).T


def rotate_half(cfg, T, hd, dev, dtype):
    """Rotate-half rotary over whole heads of hd, as Llama, Gemma and Falcon apply it."""
    inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, hd, 2, dtype=torch.float32, device=dev) / hd))
    freqs = torch.outer(torch.arange(T, dtype=torch.float32, device=dev), inv)
    cos, sin = torch.cat((freqs, freqs), -1).cos().to(dtype), torch.cat((freqs, freqs), -1).sin().to(dtype)
    return lambda t: t * cos + torch.cat((-t[..., hd // 2 :], t[..., : hd // 2]), -1) * sin


def llama(cfg, w, ids):
    T, C, H = ids.shape[1], cfg["hidden_size"], cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads") or H
    hd = cfg.get("head_dim") or C // H
    dev, dtype = ids.device, w["model.embed_tokens.weight"].dtype
    gemma = cfg["architectures"][0] == "GemmaForCausalLM"
    rot = rotate_half(cfg, T, hd, dev, dtype)
    # In fp32 whatever the weights' dtype, as LlamaRMSNorm does (a no-op cast for fp32);
    # GemmaRMSNorm scales by (1 + w), also in fp32.
    if gemma:
        rms = lambda x, n: (
            x.float() * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + cfg["rms_norm_eps"]) * (1.0 + w[n].float())
        ).to(x.dtype)
    else:
        rms = lambda x, n: (
            x.float() * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + cfg["rms_norm_eps"])
        ).to(x.dtype) * w[n]
    act = (lambda t: F.gelu(t, approximate="tanh")) if gemma else F.silu
    x = w["model.embed_tokens.weight"][ids][0]
    if gemma:
        x = x * torch.tensor(C**0.5, dtype=x.dtype, device=dev)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms(x, p + "input_layernorm.weight")
        q = rot((h @ w[p + "self_attn.q_proj.weight"].T).view(T, H, hd).transpose(0, 1))
        k = rot((h @ w[p + "self_attn.k_proj.weight"].T).view(T, KV, hd).transpose(0, 1))
        v = (h @ w[p + "self_attn.v_proj.weight"].T).view(T, KV, hd).transpose(0, 1)
        k, v = k.repeat_interleave(H // KV, 0), v.repeat_interleave(H // KV, 0)
        x = x + attention(q, k, v).transpose(0, 1).reshape(T, H * hd) @ w[p + "self_attn.o_proj.weight"].T
        h = rms(x, p + "post_attention_layernorm.weight")
        gate, up = h @ w[p + "mlp.gate_proj.weight"].T, h @ w[p + "mlp.up_proj.weight"].T
        x = x + (act(gate) * up) @ w[p + "mlp.down_proj.weight"].T
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return rms(x, "model.norm.weight") @ head.T


def falcon(cfg, w, ids):
    """Falcon-7B's layout: multi-query fused q|k|v, attention and MLP in parallel off one norm."""
    g = lambda k: w["transformer." + k]
    T, C, H = ids.shape[1], cfg["hidden_size"], cfg["num_attention_heads"]
    hd = C // H
    assert cfg.get("multi_query", True) and cfg.get("parallel_attn", True), "the bench's Falcon is multi-query, parallel"
    rot = rotate_half(cfg, T, hd, ids.device, g("word_embeddings.weight").dtype)
    ln = lambda x, p: F.layer_norm(x, (C,), g(p + ".weight"), g(p + ".bias"), cfg["layer_norm_epsilon"])
    x = g("word_embeddings.weight")[ids][0]
    for i in range(cfg["num_hidden_layers"]):
        p = f"h.{i}."
        h = ln(x, p + "input_layernorm")
        qkv = h @ g(p + "self_attention.query_key_value.weight").T
        q = rot(qkv[:, : H * hd].view(T, H, hd).transpose(0, 1))
        k = rot(qkv[:, H * hd : (H + 1) * hd].view(T, 1, hd).transpose(0, 1)).expand(H, T, hd)
        v = qkv[:, (H + 1) * hd :].view(T, 1, hd).transpose(0, 1).expand(H, T, hd)
        a = attention(q, k, v).transpose(0, 1).reshape(T, C) @ g(p + "self_attention.dense.weight").T
        m = F.gelu(h @ g(p + "mlp.dense_h_to_4h.weight").T) @ g(p + "mlp.dense_4h_to_h.weight").T
        x = x + a + m
    return ln(x, "ln_f") @ w.get("lm_head.weight", g("word_embeddings.weight")).T


FORWARD = {"GPT2LMHeadModel": gpt2, "LlamaForCausalLM": llama, "GemmaForCausalLM": llama, "FalconForCausalLM": falcon}


def peak_rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def device_bytes():
    """Device memory this process holds (CUDA context included), per nvidia-smi, or None."""
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in out.splitlines():
        pid, used = (s.strip() for s in line.split(","))
        if pid == str(os.getpid()):
            return int(used) * 2**20 if used.isdigit() else None  # "[N/A]" in some containers
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tokens", type=int, default=1024)
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--dtype", choices=["fp32", "bf16"], default="fp32")
    args = ap.parse_args()
    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[args.dtype]
    t0 = time.perf_counter()
    cfg, w = load(args.model, args.device, dtype)
    forward = FORWARD[cfg["architectures"][0]]
    vocab = cfg["vocab_size"]
    # The same token ids as scripts/bench/run-loss-backend.mjs.
    ids = torch.tensor(
        [[(i * 2654435761 + 12345) % vocab for i in range(args.tokens)]], dtype=torch.long, device=args.device
    )
    # .float(): the loss in fp32 from bf16 logits (a no-op in fp32); .item() waits for the GPU.
    loss_of = lambda: F.cross_entropy(forward(cfg, w, ids).reshape(-1, vocab)[:-1].float(), ids[0, 1:]).item()
    load_seconds = time.perf_counter() - t0
    loss = loss_of()  # warm-up
    seconds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        loss_of()
        seconds.append(time.perf_counter() - start)
    out = {"loss": loss, "loadSeconds": load_seconds, "seconds": seconds, "tokens": args.tokens}
    out["peakRssBytes"] = peak_rss_bytes()
    if args.device == "cuda":
        out["deviceBytes"] = device_bytes()
        out["runtime"] = f"torch {torch.__version__}, {args.dtype} on {torch.cuda.get_device_name()}"
    else:
        out["runtime"] = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    print(json.dumps(out))


if __name__ == "__main__":
    main()
