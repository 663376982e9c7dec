// Test support: a tiny LlamaForCausalLM with a closed-form loss that passes the sanity
// check. After token t it predicts successor(t) = (t mod K) + 1, K = hidden size, so
// greedy continuations walk the cycle 1..K and differ for prompts ending differently.
// Every block weight is zero, so the residual stream is the embedding
// onehot(successor(t) − 1); RMSNorm scales it by 1/sqrt(1/K + eps) and lm_head row v
// (v in 1..K) is boost · onehot(v − 1): one logit c = boost / sqrt(1/K + eps) at the
// successor, zero everywhere else.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const EPS = 1e-5;

/** Shape and confidence of a successor model. */
export interface SuccessorModelOptions {
  /** Vocabulary size (default 128); token 0 is EOS. */
  readonly vocab?: number;
  /** Hidden size = cycle length K (default 32, below `vocab`). */
  readonly hidden?: number;
  /** Scales the successor's logit: lower is less sure, so a lower loss on random text. */
  readonly boost?: number;
  readonly maxPositions?: number;
  /**
   * `architectures[0]` written to config.json. The architecture stays Llama's: it is
   * decided by `model_type`, which is always `llama`.
   */
  readonly architecture?: string;
}

function resolved(options: SuccessorModelOptions) {
  return {
    vocab: options.vocab ?? 128,
    hidden: options.hidden ?? 32,
    boost: options.boost ?? 0.25,
    maxPositions: options.maxPositions ?? 256,
    architecture: options.architecture ?? 'LlamaForCausalLM',
  };
}

/** The token the model predicts after `token`. */
export function successorOf(token: number, hidden = 32): number {
  return (token % hidden) + 1;
}

/** Mean next-token loss of one row under the model, from the closed form. */
export function successorLoss(row: readonly number[], options: SuccessorModelOptions = {}): number {
  const { vocab, hidden, boost } = resolved(options);
  const c = Math.fround(boost / Math.sqrt(1 / hidden + EPS));
  const logZ = Math.log(vocab - 1 + Math.exp(c));
  let sum = 0;
  for (let i = 0; i + 1 < row.length; i++)
    sum += logZ - (row[i + 1] === successorOf(row[i]!, hidden) ? c : 0);
  return sum / (row.length - 1);
}

interface F32Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

function safetensors(tensors: readonly F32Tensor[]): Buffer {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(json.length));
  const data = tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return Buffer.concat([size, Buffer.from(json), ...data]);
}

/** Write the model into `dir` (created). */
export async function writeSuccessorModel(dir: string, options: SuccessorModelOptions = {}): Promise<void> {
  const { vocab, hidden, boost, maxPositions, architecture } = resolved(options);
  const inner = 4;
  const embed = new Float32Array(vocab * hidden);
  for (let t = 0; t < vocab; t++) embed[t * hidden + successorOf(t, hidden) - 1] = 1;
  const head = new Float32Array(vocab * hidden);
  for (let v = 1; v <= hidden; v++) head[v * hidden + v - 1] = boost;
  const ones = new Float32Array(hidden).fill(1);
  const zeros = (n: number) => new Float32Array(n);
  const p = 'model.layers.0';
  const square = (name: string): F32Tensor => ({
    name,
    shape: [hidden, hidden],
    data: zeros(hidden * hidden),
  });
  const tensors: F32Tensor[] = [
    { name: 'lm_head.weight', shape: [vocab, hidden], data: head },
    { name: 'model.embed_tokens.weight', shape: [vocab, hidden], data: embed },
    { name: `${p}.input_layernorm.weight`, shape: [hidden], data: ones },
    { name: `${p}.mlp.down_proj.weight`, shape: [hidden, inner], data: zeros(hidden * inner) },
    { name: `${p}.mlp.gate_proj.weight`, shape: [inner, hidden], data: zeros(inner * hidden) },
    { name: `${p}.mlp.up_proj.weight`, shape: [inner, hidden], data: zeros(inner * hidden) },
    { name: `${p}.post_attention_layernorm.weight`, shape: [hidden], data: ones },
    square(`${p}.self_attn.k_proj.weight`),
    square(`${p}.self_attn.o_proj.weight`),
    square(`${p}.self_attn.q_proj.weight`),
    square(`${p}.self_attn.v_proj.weight`),
    { name: 'model.norm.weight', shape: [hidden], data: ones },
  ];
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), safetensors(tensors));
  const config = {
    architectures: [architecture],
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
