// Deterministic random models in Hugging Face layout (config.json + model.safetensors),
// written once into the bench cache. Random weights cost the same FLOPs as trained ones.
// The BF16 copy of a shape (for the CUDA bench) holds the same values rounded to bfloat16.
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

/**
 * The benchmark shapes: GPT-2 small (124M, tied head), a Llama-shaped ~100M model with GQA,
 * and two ~100M models in the layouts of later architectures: Falcon-7B's (multi-query
 * fused q-k-v, attention and MLP in parallel off one LayerNorm, its 65024-token vocabulary,
 * tied head) and Gemma's (head dim 256 ≠ hidden / heads, one kv head, gated tanh-GELU MLP,
 * (1 + w) RMSNorm, scaled embeddings, tied head; its 256k vocabulary would not fit 100M).
 */
export const BENCH_SHAPES = {
  'gpt2-124m': {
    config: {
      architectures: ['GPT2LMHeadModel'],
      model_type: 'gpt2',
      activation_function: 'gelu_new',
      vocab_size: 50257,
      n_positions: 1024,
      n_ctx: 1024,
      n_embd: 768,
      n_layer: 12,
      n_head: 12,
      layer_norm_epsilon: 1e-5,
      bos_token_id: 50256,
      eos_token_id: 50256,
      torch_dtype: 'float32',
    },
    tensors(c) {
      const d = c.n_embd;
      const t = [
        ['transformer.wte.weight', [c.vocab_size, d]],
        ['transformer.wpe.weight', [c.n_positions, d]],
      ];
      for (let i = 0; i < c.n_layer; i += 1) {
        const p = `transformer.h.${i}.`;
        t.push([p + 'ln_1.weight', [d], 1], [p + 'ln_1.bias', [d], 0]);
        t.push([p + 'attn.c_attn.weight', [d, 3 * d]], [p + 'attn.c_attn.bias', [3 * d]]);
        t.push([p + 'attn.c_proj.weight', [d, d]], [p + 'attn.c_proj.bias', [d]]);
        t.push([p + 'ln_2.weight', [d], 1], [p + 'ln_2.bias', [d], 0]);
        t.push([p + 'mlp.c_fc.weight', [d, 4 * d]], [p + 'mlp.c_fc.bias', [4 * d]]);
        t.push([p + 'mlp.c_proj.weight', [4 * d, d]], [p + 'mlp.c_proj.bias', [d]]);
      }
      t.push(['transformer.ln_f.weight', [d], 1], ['transformer.ln_f.bias', [d], 0]);
      return t;
    },
  },
  'llama-100m': {
    config: {
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      vocab_size: 32000,
      hidden_size: 768,
      intermediate_size: 2048,
      num_hidden_layers: 8,
      num_attention_heads: 12,
      num_key_value_heads: 4,
      max_position_embeddings: 2048,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      hidden_act: 'silu',
      tie_word_embeddings: false,
      bos_token_id: 1,
      eos_token_id: 2,
      torch_dtype: 'float32',
    },
    tensors(c) {
      const d = c.hidden_size;
      const kv = (d / c.num_attention_heads) * c.num_key_value_heads;
      const t = [['model.embed_tokens.weight', [c.vocab_size, d]]];
      for (let i = 0; i < c.num_hidden_layers; i += 1) {
        const p = `model.layers.${i}.`;
        t.push([p + 'input_layernorm.weight', [d], 1]);
        t.push([p + 'self_attn.q_proj.weight', [d, d]], [p + 'self_attn.k_proj.weight', [kv, d]]);
        t.push([p + 'self_attn.v_proj.weight', [kv, d]], [p + 'self_attn.o_proj.weight', [d, d]]);
        t.push([p + 'post_attention_layernorm.weight', [d], 1]);
        t.push([p + 'mlp.gate_proj.weight', [c.intermediate_size, d]]);
        t.push([p + 'mlp.up_proj.weight', [c.intermediate_size, d]]);
        t.push([p + 'mlp.down_proj.weight', [d, c.intermediate_size]]);
      }
      t.push(['model.norm.weight', [d], 1], ['lm_head.weight', [c.vocab_size, d]]);
      return t;
    },
  },
  'falcon7b-100m': {
    config: {
      architectures: ['FalconForCausalLM'],
      model_type: 'falcon',
      vocab_size: 65024,
      hidden_size: 768,
      num_hidden_layers: 8,
      num_attention_heads: 12,
      multi_query: true,
      parallel_attn: true,
      new_decoder_architecture: false,
      alibi: false,
      bias: false,
      layer_norm_epsilon: 1e-5,
      max_position_embeddings: 2048,
      rope_theta: 10000,
      tie_word_embeddings: true,
      bos_token_id: 11,
      eos_token_id: 11,
      torch_dtype: 'float32',
    },
    tensors(c) {
      const d = c.hidden_size;
      const hd = d / c.num_attention_heads;
      const t = [['transformer.word_embeddings.weight', [c.vocab_size, d]]];
      for (let i = 0; i < c.num_hidden_layers; i += 1) {
        const p = `transformer.h.${i}.`;
        t.push([p + 'input_layernorm.weight', [d], 1], [p + 'input_layernorm.bias', [d], 0]);
        t.push([p + 'self_attention.query_key_value.weight', [d + 2 * hd, d]]);
        t.push([p + 'self_attention.dense.weight', [d, d]]);
        t.push([p + 'mlp.dense_h_to_4h.weight', [4 * d, d]], [p + 'mlp.dense_4h_to_h.weight', [d, 4 * d]]);
      }
      t.push(['transformer.ln_f.weight', [d], 1], ['transformer.ln_f.bias', [d], 0]);
      return t;
    },
  },
  'gemma-100m': {
    config: {
      architectures: ['GemmaForCausalLM'],
      model_type: 'gemma',
      vocab_size: 32000,
      hidden_size: 768,
      intermediate_size: 3072,
      num_hidden_layers: 8,
      num_attention_heads: 4,
      num_key_value_heads: 1,
      head_dim: 256,
      max_position_embeddings: 2048,
      rms_norm_eps: 1e-6,
      rope_theta: 10000,
      hidden_act: 'gelu_pytorch_tanh',
      hidden_activation: 'gelu_pytorch_tanh',
      tie_word_embeddings: true,
      bos_token_id: 2,
      eos_token_id: 1,
      pad_token_id: 0,
      torch_dtype: 'float32',
    },
    tensors(c) {
      const d = c.hidden_size;
      const q = c.num_attention_heads * c.head_dim;
      const kv = c.num_key_value_heads * c.head_dim;
      const t = [['model.embed_tokens.weight', [c.vocab_size, d]]];
      for (let i = 0; i < c.num_hidden_layers; i += 1) {
        const p = `model.layers.${i}.`;
        // Gemma's norms scale by (1 + w): w = 0 is the identity scale.
        t.push([p + 'input_layernorm.weight', [d], 0]);
        t.push([p + 'self_attn.q_proj.weight', [q, d]], [p + 'self_attn.k_proj.weight', [kv, d]]);
        t.push([p + 'self_attn.v_proj.weight', [kv, d]], [p + 'self_attn.o_proj.weight', [d, q]]);
        t.push([p + 'post_attention_layernorm.weight', [d], 0]);
        t.push([p + 'mlp.gate_proj.weight', [c.intermediate_size, d]]);
        t.push([p + 'mlp.up_proj.weight', [c.intermediate_size, d]]);
        t.push([p + 'mlp.down_proj.weight', [d, c.intermediate_size]]);
      }
      t.push(['model.norm.weight', [d], 0]);
      return t;
    },
  },
};

/**
 * Write the model of `shape` under `cacheDir` unless it is already there; returns its
 * directory: `<shape>` for F32 weights, `<shape>-bf16` for `dtype: 'BF16'`.
 */
export async function ensureBenchModel(cacheDir, shape, { dtype = 'F32' } = {}) {
  const dir = join(cacheDir, dtype === 'BF16' ? `${shape}-bf16` : shape);
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  const { tensors } = BENCH_SHAPES[shape];
  const config = { ...BENCH_SHAPES[shape].config, torch_dtype: dtype === 'BF16' ? 'bfloat16' : 'float32' };
  const encode = dtype === 'BF16' ? toBf16 : (values) => values;
  mkdirSync(dir, { recursive: true });
  const list = tensors(config);
  const header = {};
  let offset = 0;
  for (const [name, dims] of list) {
    const bytes = dims.reduce((a, b) => a * b, 1) * (dtype === 'BF16' ? 2 : 4);
    header[name] = { dtype, shape: dims, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(json.length));
  const partial = join(dir, 'model.safetensors.partial');
  const out = createWriteStream(partial);
  out.write(size);
  out.write(json);
  let seed = 0x9e3779b9;
  for (const [, dims, constant] of list) {
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    if (constant !== undefined) values.fill(constant);
    else {
      // mulberry32: a fixed, fast PRNG, so every run benchmarks the same weights.
      for (let i = 0; i < values.length; i += 1) {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        values[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5) * 0.07; // std ≈ 0.02
      }
    }
    if (!out.write(Buffer.from(encode(values).buffer))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, join(dir, 'model.safetensors'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  return dir;
}

/** fp32 → bfloat16 bits, rounded to nearest even (the values are finite). */
function toBf16(values) {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i += 1) out[i] = (bits[i] + 0x7fff + ((bits[i] >>> 16) & 1)) >>> 16;
  return out;
}
