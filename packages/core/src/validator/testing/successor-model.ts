// Writes a tiny LlamaForCausalLM for validator tests whose greedy next token after t is
// (t + 1) mod vocab, so it passes the sanity check, and whose loss has a closed form.
// Every block weight is zero, so the residual stream is the embedding onehot(t + 1);
// RMSNorm scales it by 1/sqrt(1/V + eps) and lm_head (identity × boost) turns it into a
// single logit c = boost / sqrt(1/V + eps) at t + 1, zero elsewhere.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const EPS = 1e-5;

/** The logit the model gives the successor (all other logits are 0). */
export function successorLogit(vocab, boost) {
  return boost / Math.sqrt(1 / vocab + EPS);
}

/** Mean next-token loss of one row under the model, from the closed form. */
export function successorLoss(row, vocab, boost) {
  const c = Math.fround(successorLogit(vocab, boost));
  const logZ = Math.log(vocab - 1 + Math.exp(c));
  let sum = 0;
  for (let i = 0; i + 1 < row.length; i++) sum += logZ - (row[i + 1] === (row[i] + 1) % vocab ? c : 0);
  return sum / (row.length - 1);
}

function safetensors(tensors) {
  const header = {};
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([size, Buffer.from(json), ...tensors.map((t) => Buffer.from(t.data.buffer))]);
}

/** Write the model into `dir` (created); `boost` sets how sure it is of the successor. */
export async function writeSuccessorModel(dir, { vocab = 128, boost = 0.25, maxPositions = 256 } = {}) {
  const hidden = vocab;
  const inner = 4;
  const embed = new Float32Array(vocab * hidden);
  for (let t = 0; t < vocab; t++) embed[t * hidden + ((t + 1) % vocab)] = 1;
  const head = new Float32Array(vocab * hidden);
  for (let v = 0; v < vocab; v++) head[v * hidden + v] = boost;
  const ones = new Float32Array(hidden).fill(1);
  const zeros = (n) => new Float32Array(n);
  const p = 'model.layers.0';
  const tensors = [
    { name: 'lm_head.weight', shape: [vocab, hidden], data: head },
    { name: 'model.embed_tokens.weight', shape: [vocab, hidden], data: embed },
    { name: `${p}.input_layernorm.weight`, shape: [hidden], data: ones },
    { name: `${p}.mlp.down_proj.weight`, shape: [hidden, inner], data: zeros(hidden * inner) },
    { name: `${p}.mlp.gate_proj.weight`, shape: [inner, hidden], data: zeros(inner * hidden) },
    { name: `${p}.mlp.up_proj.weight`, shape: [inner, hidden], data: zeros(inner * hidden) },
    { name: `${p}.post_attention_layernorm.weight`, shape: [hidden], data: ones },
    { name: `${p}.self_attn.k_proj.weight`, shape: [hidden, hidden], data: zeros(hidden * hidden) },
    { name: `${p}.self_attn.o_proj.weight`, shape: [hidden, hidden], data: zeros(hidden * hidden) },
    { name: `${p}.self_attn.q_proj.weight`, shape: [hidden, hidden], data: zeros(hidden * hidden) },
    { name: `${p}.self_attn.v_proj.weight`, shape: [hidden, hidden], data: zeros(hidden * hidden) },
    { name: 'model.norm.weight', shape: [hidden], data: ones },
  ];
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), safetensors(tensors));
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: vocab,
    hidden_size: hidden,
    intermediate_size: inner,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    num_key_value_heads: 2,
    max_position_embeddings: maxPositions,
    rms_norm_eps: EPS,
    rope_theta: 10000,
    hidden_act: 'silu',
    tie_word_embeddings: false,
    bos_token_id: 0,
    eos_token_id: 0,
    torch_dtype: 'float32',
  };
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}
