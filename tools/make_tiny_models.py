#!/usr/bin/python3
"""Writes tiny random models in Hugging Face layout (config.json + model.safetensors, F32),
seeded and reproducible (numpy PCG64), for golden values from reference_loss.py.

  make_tiny_models.py [OUT_DIR]            the fixtures (default: ../test/fixtures/models)
  make_tiny_models.py --regression OUT_DIR  also Llama / Mistral / Qwen2 / GPT-NeoX models,
                                            for before/after checks of the oracle

Tensor names are those from_pretrained expects for transformers v4.41.2 (non-persistent
buffers left out, tied output heads left out as save_pretrained does); config.json has the
fields that config class writes (tie_word_embeddings omitted where it equals the default
true, as save_pretrained's diff does). Weights: linear N(0, 1/fan_in), biases N(0, 0.1^2),
norm weights 1 + N(0, 0.1^2) (Gemma: N(0, 0.1^2), used as 1 + w), embeddings N(0, 0.3^2).
Also writes ../test/fixtures/tiny-random/tiny-2x16.json: 2 batches of 2 rows x 16 ids < 512.
"""
import json, os, sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_loss import write_safetensors  # noqa: E402

V, NPOS, TV = 512, 64, "4.41.2"


class Gen:
    def __init__(self, seed):
        self.rng, self.t = np.random.default_rng(seed), {}

    def n(self, name, shape, std):
        self.t[name] = torch.from_numpy((self.rng.standard_normal(shape) * std).astype(np.float32))

    def linear(self, name, out_f, in_f, bias=True):
        self.n(name + ".weight", (out_f, in_f), in_f**-0.5)
        if bias:
            self.n(name + ".bias", (out_f,), 0.1)

    def ln(self, name, d, bias=True):
        self.n(name + ".weight", (d,), 0.1)
        self.t[name + ".weight"] += 1.0
        if bias:
            self.n(name + ".bias", (d,), 0.1)

    def emb(self, name, rows, d):
        self.n(name, (rows, d), 0.3)


def gptj():
    C, H, L, R, I = 32, 4, 2, 4, 128
    g = Gen(9001)
    g.emb("transformer.wte.weight", V, C)
    for i in range(L):
        p = f"transformer.h.{i}."
        g.ln(p + "ln_1", C)
        for n in ("q_proj", "k_proj", "v_proj", "out_proj"):
            g.linear(p + "attn." + n, C, C, bias=False)
        g.linear(p + "mlp.fc_in", I, C)
        g.linear(p + "mlp.fc_out", C, I)
    g.ln("transformer.ln_f", C)
    g.linear("lm_head", V, C)
    cfg = {"activation_function": "gelu_new", "architectures": ["GPTJForCausalLM"], "attn_pdrop": 0.0,
           "bos_token_id": V - 1, "embd_pdrop": 0.0, "eos_token_id": V - 1, "initializer_range": 0.02,
           "layer_norm_epsilon": 1e-05, "model_type": "gptj", "n_embd": C, "n_head": H, "n_inner": None,
           "n_layer": L, "n_positions": NPOS, "resid_pdrop": 0.0, "rotary_dim": R, "tie_word_embeddings": False}
    return cfg, g.t


def phi():
    C, H, L, I = 32, 4, 2, 128
    g = Gen(9002)
    g.emb("model.embed_tokens.weight", V, C)
    for i in range(L):
        p = f"model.layers.{i}."
        g.ln(p + "input_layernorm", C)
        for n in ("q_proj", "k_proj", "v_proj", "dense"):
            g.linear(p + "self_attn." + n, C, C)
        g.linear(p + "mlp.fc1", I, C)
        g.linear(p + "mlp.fc2", C, I)
    g.ln("model.final_layernorm", C)
    g.linear("lm_head", V, C)
    cfg = {"architectures": ["PhiForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 1, "embd_pdrop": 0.0,
           "eos_token_id": 2, "hidden_act": "gelu_new", "hidden_size": C, "initializer_range": 0.02,
           "intermediate_size": I, "layer_norm_eps": 1e-05, "max_position_embeddings": NPOS, "model_type": "phi",
           "num_attention_heads": H, "num_hidden_layers": L, "num_key_value_heads": H, "partial_rotary_factor": 0.5,
           "qk_layernorm": False, "resid_pdrop": 0.0, "rope_scaling": None, "rope_theta": 10000.0,
           "tie_word_embeddings": False}
    return cfg, g.t


def gemma():
    C, H, KV, hd, L, I = 32, 4, 2, 16, 2, 64
    g = Gen(9003)
    g.emb("model.embed_tokens.weight", V, C)
    for i in range(L):
        p = f"model.layers.{i}."
        g.n(p + "input_layernorm.weight", (C,), 0.1)
        g.linear(p + "self_attn.q_proj", H * hd, C, bias=False)
        g.linear(p + "self_attn.k_proj", KV * hd, C, bias=False)
        g.linear(p + "self_attn.v_proj", KV * hd, C, bias=False)
        g.linear(p + "self_attn.o_proj", C, H * hd, bias=False)
        g.n(p + "post_attention_layernorm.weight", (C,), 0.1)
        g.linear(p + "mlp.gate_proj", I, C, bias=False)
        g.linear(p + "mlp.up_proj", I, C, bias=False)
        g.linear(p + "mlp.down_proj", C, I, bias=False)
    g.n("model.norm.weight", (C,), 0.1)
    # hidden_act "gelu" with hidden_activation null, as google/gemma-2b ships: 4.41 uses gelu_pytorch_tanh
    cfg = {"architectures": ["GemmaForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
           "bos_token_id": 2, "eos_token_id": 1, "head_dim": hd, "hidden_act": "gelu", "hidden_activation": None,
           "hidden_size": C, "initializer_range": 0.02, "intermediate_size": I, "max_position_embeddings": NPOS,
           "model_type": "gemma", "num_attention_heads": H, "num_hidden_layers": L, "num_key_value_heads": KV,
           "pad_token_id": 0, "rms_norm_eps": 1e-06, "rope_theta": 10000.0}
    return cfg, g.t


def falcon(seed, C, H, KV, new, mq, par, bias, alibi):
    L, I = 2, 4 * C
    hd = C // H
    g = Gen(seed)
    g.emb("transformer.word_embeddings.weight", V, C)
    qkv = (2 * KV + H) * hd if new else (C + 2 * hd if mq else 3 * C)
    for i in range(L):
        p = f"transformer.h.{i}."
        if new:
            g.ln(p + "ln_attn", C)
            g.ln(p + "ln_mlp", C)
        else:
            g.ln(p + "input_layernorm", C)
            if not par:
                g.ln(p + "post_attention_layernorm", C)
        g.linear(p + "self_attention.query_key_value", qkv, C, bias)
        g.linear(p + "self_attention.dense", C, C, bias)
        g.linear(p + "mlp.dense_h_to_4h", I, C, bias)
        g.linear(p + "mlp.dense_4h_to_h", C, I, bias)
    g.ln("transformer.ln_f", C)
    cfg = {"activation": "gelu", "alibi": alibi, "architectures": ["FalconForCausalLM"], "attention_dropout": 0.0,
           "bias": bias, "bos_token_id": 11, "eos_token_id": 11, "ffn_hidden_size": I, "hidden_dropout": 0.0,
           "hidden_size": C, "initializer_range": 0.02, "layer_norm_epsilon": 1e-05, "max_position_embeddings": NPOS,
           "model_type": "falcon", "multi_query": mq, "new_decoder_architecture": new, "num_attention_heads": H,
           "num_hidden_layers": L, "num_kv_heads": KV, "num_ln_in_parallel_attn": None, "parallel_attn": par,
           "rope_scaling": None, "rope_theta": 10000.0}
    return cfg, g.t


def bart():
    C, H, L, I = 32, 4, 2, 64
    g = Gen(9007)
    d = "model.decoder."
    g.emb(d + "embed_tokens.weight", V, C)
    g.n(d + "embed_positions.weight", (NPOS + 2, C), 0.1)
    g.ln(d + "layernorm_embedding", C)
    for i in range(L):
        p = f"{d}layers.{i}."
        for a in ("self_attn", "encoder_attn"):  # BartDecoderLayer always has cross-attention weights
            for n in ("k_proj", "v_proj", "q_proj", "out_proj"):
                g.linear(f"{p}{a}.{n}", C, C)
            g.ln(f"{p}{a}_layer_norm", C)
        g.linear(p + "fc1", I, C)
        g.linear(p + "fc2", C, I)
        g.ln(p + "final_layer_norm", C)
    labels = {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"}
    cfg = {"activation_dropout": 0.0, "activation_function": "gelu", "architectures": ["BartForCausalLM"],
           "attention_dropout": 0.0, "bos_token_id": 0, "classifier_dropout": 0.0, "d_model": C,
           "decoder_attention_heads": H, "decoder_ffn_dim": I, "decoder_layerdrop": 0.0, "decoder_layers": L,
           "decoder_start_token_id": 2, "dropout": 0.1, "encoder_attention_heads": H, "encoder_ffn_dim": I,
           "encoder_layerdrop": 0.0, "encoder_layers": L, "eos_token_id": 2, "forced_eos_token_id": 2,
           "id2label": labels, "init_std": 0.02, "is_decoder": True, "is_encoder_decoder": False,
           "label2id": {v: int(k) for k, v in labels.items()}, "max_position_embeddings": NPOS, "model_type": "bart",
           "num_hidden_layers": L, "pad_token_id": 1, "scale_embedding": True}
    return cfg, g.t


FIXTURES = {
    "gptj-tiny-random": gptj,
    "phi-tiny-random": phi,
    "gemma-tiny-random": gemma,
    # Falcon-40B/180B style: new decoder, grouped kv (4 query heads, 2 kv heads), ln_attn + ln_mlp
    "falcon-newdec-tiny-random": lambda: falcon(9004, 32, 4, 2, True, True, True, False, False),
    # Falcon-7B style: multi-query, parallel attention + MLP off one input_layernorm
    "falcon-mq-tiny-random": lambda: falcon(9005, 32, 4, 4, False, True, True, False, False),
    # Falcon-RW style: alibi, plain MHA, sequential, biases; 12 heads = 8 + 4 extra slopes, bf16 rounding shows
    "falcon-rw-tiny-random": lambda: falcon(9006, 48, 12, 12, False, False, False, True, True),
    "bart-tiny-random": bart,
}


def llama_like(seed, arch, model_type, KV, bias, tie):
    C, H, L, I = 32, 4, 2, 64
    g = Gen(seed)
    g.emb("model.embed_tokens.weight", V, C)
    for i in range(L):
        p = f"model.layers.{i}."
        g.ln(p + "input_layernorm", C, bias=False)
        g.linear(p + "self_attn.q_proj", C, C, bias)
        g.linear(p + "self_attn.k_proj", KV * C // H, C, bias)
        g.linear(p + "self_attn.v_proj", KV * C // H, C, bias)
        g.linear(p + "self_attn.o_proj", C, C, False)
        g.ln(p + "post_attention_layernorm", C, bias=False)
        for n, o, i_ in (("gate_proj", I, C), ("up_proj", I, C), ("down_proj", C, I)):
            g.linear(p + "mlp." + n, o, i_, False)
    g.ln("model.norm", C, bias=False)
    if not tie:
        g.linear("lm_head", V, C, False)
    cfg = {"architectures": [arch], "hidden_act": "silu", "hidden_size": C, "intermediate_size": I,
           "model_type": model_type, "num_attention_heads": H, "num_hidden_layers": L, "num_key_value_heads": KV,
           "rms_norm_eps": 1e-06, "rope_theta": 10000.0, "tie_word_embeddings": tie, "vocab_size": V}
    return cfg, g.t


def neox(seed, parallel):
    C, H, L = 32, 4, 2
    g = Gen(seed)
    g.emb("gpt_neox.embed_in.weight", V, C)
    for i in range(L):
        p = f"gpt_neox.layers.{i}."
        g.ln(p + "input_layernorm", C)
        g.ln(p + "post_attention_layernorm", C)
        g.linear(p + "attention.query_key_value", 3 * C, C)
        g.linear(p + "attention.dense", C, C)
        g.linear(p + "mlp.dense_h_to_4h", 4 * C, C)
        g.linear(p + "mlp.dense_4h_to_h", C, 4 * C)
    g.ln("gpt_neox.final_layer_norm", C)
    g.linear("embed_out", V, C, False)
    cfg = {"architectures": ["GPTNeoXForCausalLM"], "hidden_act": "gelu", "hidden_size": C, "model_type": "gpt_neox",
           "num_attention_heads": H, "num_hidden_layers": L, "rotary_emb_base": 10000, "rotary_pct": 0.5,
           "use_parallel_residual": parallel, "vocab_size": V, "layer_norm_eps": 1e-05}
    return cfg, g.t


REGRESSION = {
    "llama-tiny-random": lambda: llama_like(9101, "LlamaForCausalLM", "llama", 4, False, False),
    "mistral-tiny-random": lambda: llama_like(9102, "MistralForCausalLM", "mistral", 2, False, False),
    "qwen2-tiny-random": lambda: llama_like(9103, "Qwen2ForCausalLM", "qwen2", 2, True, True),
    "neox-par-tiny-random": lambda: neox(9104, True),
    "neox-seq-tiny-random": lambda: neox(9105, False),
}


def write(out_dir, name, make):
    cfg, t = make()
    cfg = {**cfg, "torch_dtype": "float32", "transformers_version": TV, "use_cache": True, "vocab_size": V}
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(dict(sorted(cfg.items())), f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(d, "model.safetensors"), t)
    print(f"{d}: {sum(x.numel() for x in t.values())} params, {os.path.getsize(os.path.join(d, 'model.safetensors'))} bytes")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    models = dict(FIXTURES)
    if len(argv) == 3 and argv[1] == "--regression":
        models.update(REGRESSION)
        out_dir = argv[2]
    elif len(argv) <= 2:
        out_dir = argv[1] if len(argv) == 2 else os.path.join(here, "..", "test", "fixtures", "models")
        rng = np.random.default_rng(9000)
        batches = rng.integers(0, V, size=(2, 2, 16))
        batches[0, 0, 3], batches[0, 1, 5], batches[1, 0, 7] = 0, 1, 2  # pad ids of Gemma (0) and Bart (1)
        gdir = os.path.join(here, "..", "test", "fixtures", "tiny-random")
        os.makedirs(gdir, exist_ok=True)
        with open(os.path.join(gdir, "tiny-2x16.json"), "w") as f:
            json.dump(batches.tolist(), f)
            f.write("\n")
    else:
        sys.exit(__doc__)
    for name, make in models.items():
        write(out_dir, name, make)


if __name__ == "__main__":
    main(sys.argv)
