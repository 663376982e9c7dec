import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedModelError } from '../../errors/index.js';
import { describeLayout, modelFeatures } from '../model-features.js';
import { openModelSpec } from '../open-model-spec.js';
import { SUPPORTED_ARCHITECTURES } from '../supported-architectures.js';

/** The generated fixture models (test/fixtures/models, data only). */
const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/models/', import.meta.url));

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'pretrain-arch-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Copy fixture `name` to a scratch directory and apply `edit` to its config.json. */
async function copyWith(name: string, edit: (config: Record<string, unknown>) => void): Promise<string> {
  const dir = await mkdtemp(join(scratch, `${name}-`));
  await cp(join(FIXTURES, name), dir, { recursive: true });
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  edit(config);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

/** Rewrite a safetensors file without the tensors `drop` selects. */
async function dropTensors(file: string, drop: (name: string) => boolean): Promise<void> {
  const bytes = await readFile(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const kept: Record<string, unknown> = {};
  const blobs: Buffer[] = [];
  let offset = 0;
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__' || drop(name)) continue;
    const [start, end] = entry.data_offsets;
    blobs.push(bytes.subarray(8 + headerLength + start, 8 + headerLength + end));
    kept[name] = { ...entry, data_offsets: [offset, offset + end - start] };
    offset += end - start;
  }
  const json = Buffer.from(JSON.stringify(kept));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  await writeFile(file, Buffer.concat([prefix, json, ...blobs]));
}

const open = (name: string) => openModelSpec(join(FIXTURES, name));

// Parameter counts: the sum of every tensor's size in the fixture's safetensors, by python
// over the file (tied heads are not stored), as `model.parameters()` counts them.
describe('the architectures docs/SUBNET.md §4 allows', () => {
  it('are all understood: none is refused for its architecture', () => {
    for (const name of [
      'GPT2LMHeadModel',
      'MistralForCausalLM',
      'LlamaForCausalLM',
      'BartForCausalLM',
      'FalconForCausalLM',
      'GPTNeoXForCausalLM',
      'GPTJForCausalLM',
      'PhiForCausalLM',
      'GemmaForCausalLM',
    ]) {
      expect(SUPPORTED_ARCHITECTURES).toContain(name);
    }
  });

  it('GPT-J: interleaved partial rotary, one shared norm in parallel, head bias', async () => {
    const spec = await open('gptj-rotary8-bf16');
    expect(spec).toMatchObject({ family: 'gptj', hiddenSize: 48, numHeads: 4, numKvHeads: 4, headDim: 12 });
    expect(spec.positions).toEqual({ kind: 'rotary', dims: 8, theta: 10000, pairing: 'interleaved' });
    expect(spec).toMatchObject({ parallelResidual: true, normPlacement: 'pre', activation: 'gelu_tanh' });
    expect(spec.layers[0]?.mlpNorm).toBe(spec.layers[0]?.attentionNorm);
    expect(spec.lmHeadBias?.name).toBe('lm_head.bias');
    expect(spec.tiedEmbeddings).toBe(false);
    expect(spec.parameterCount).toBe(87104);
    expect(modelFeatures(spec)).toEqual(['rotary-interleaved', 'lm-head-bias']);
  });

  it('GPT-J: rotary_dim larger than a head is refused as transformers refuses it', async () => {
    const dir = await copyWith('gptj-rotary8-bf16', (c) => (c['rotary_dim'] = 16));
    await expect(openModelSpec(dir)).rejects.toThrow(UnsupportedModelError);
  });

  it('Phi: rotate-half partial rotary of int(factor × head), GQA, biases, head bias', async () => {
    const spec = await open('phi-gqa-rotary75-f32');
    expect(spec).toMatchObject({
      family: 'phi',
      numHeads: 4,
      numKvHeads: 2,
      headDim: 8,
      parallelResidual: true,
    });
    expect(spec.positions).toEqual({ kind: 'rotary', dims: 6, theta: 20000, pairing: 'half' });
    expect(spec.layers[0]?.attentionOutput.bias).toBeDefined();
    expect(spec.layers[0]?.mlpNorm).toBe(spec.layers[0]?.attentionNorm);
    expect(spec.finalNorm?.weight.name).toBe('model.final_layernorm.weight');
    expect(spec.parameterCount).toBe(52352);
    expect(modelFeatures(spec)).toEqual(['lm-head-bias']);
  });

  it('Phi: qk_layernorm is refused with the reason', async () => {
    const dir = await copyWith('phi-gqa-rotary75-f32', (c) => (c['qk_layernorm'] = true));
    await expect(openModelSpec(dir)).rejects.toThrow(/qk_layernorm/);
  });

  it('Gemma: explicit head_dim, (1 + w) RMSNorm, √hidden embeddings, gelu_tanh whatever hidden_act says', async () => {
    const spec = await open('gemma-mqa-headdim32-f32');
    expect(spec).toMatchObject({ family: 'gemma', hiddenSize: 24, numHeads: 2, numKvHeads: 1, headDim: 32 });
    expect(spec.norm).toEqual({ kind: 'rmsnorm', eps: 1e-6, weightOffset: 1 });
    expect(spec.embeddingScale).toBe(Math.fround(Math.sqrt(24)));
    expect(spec.activation).toBe('gelu_tanh'); // config says hidden_act "silu"
    expect(spec.layers[0]?.mlp.gate).toBeDefined();
    expect(spec.tiedEmbeddings).toBe(true);
    expect(spec.parameterCount).toBe(28536);
    expect(modelFeatures(spec)).toEqual(['embedding-scale', 'norm-weight-offset']);
  });

  it('Gemma: hidden_activation, when set, is the activation', async () => {
    const dir = await copyWith('gemma-mqa-headdim32-f32', (c) => (c['hidden_activation'] = 'gelu'));
    expect((await openModelSpec(dir)).activation).toBe('gelu');
  });

  it('Falcon new decoder: q-k-v per kv group, ln_attn and ln_mlp in parallel, untied', async () => {
    const spec = await open('falcon-newdec-gqa3-untied-f16');
    expect(spec).toMatchObject({
      family: 'falcon',
      numHeads: 6,
      numKvHeads: 2,
      headDim: 8,
      parallelResidual: true,
    });
    const layer = spec.layers[0];
    expect(layer?.attention).toMatchObject({ kind: 'fused', order: 'per-kv-group' });
    expect(layer?.attentionNorm.weight.name).toBe('transformer.h.0.ln_attn.weight');
    expect(layer?.mlpNorm.weight.name).toBe('transformer.h.0.ln_mlp.weight');
    expect(spec.positions).toEqual({ kind: 'rotary', dims: 8, theta: 10000, pairing: 'half' });
    expect(spec.tiedEmbeddings).toBe(false);
    expect(spec.parameterCount).toBe(80352);
    expect(modelFeatures(spec)).toEqual(['fused-qkv-per-kv-group']);
  });

  it('Falcon-7B: multi-query is one kv head after the queries, parallel off one norm', async () => {
    const spec = await open('falcon-mq-parallel-f32');
    expect(spec).toMatchObject({ numHeads: 5, numKvHeads: 1, headDim: 8, parallelResidual: true });
    expect(spec.layers[0]?.attention).toMatchObject({ kind: 'fused', order: 'blocks' });
    expect(spec.layers[0]?.mlpNorm).toBe(spec.layers[0]?.attentionNorm);
    expect(spec.positions).toMatchObject({ kind: 'rotary', theta: 500000 });
    expect(spec.intermediateSize).toBe(160); // ffn_hidden_size absent: 4 × hidden
    expect(spec.parameterCount).toBe(54000);
    expect(modelFeatures(spec)).toEqual([]);
  });

  it('Falcon-RW: alibi with bf16 slopes, per-head q-k-v, sequential with biases', async () => {
    const spec = await open('falcon-rw-alibi10-bf16');
    expect(spec).toMatchObject({ numHeads: 10, numKvHeads: 10, headDim: 4, parallelResidual: false });
    expect(spec.positions).toEqual({
      kind: 'alibi',
      slopes: [0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125, 0.00390625, 0.70703125, 0.353515625],
    });
    const layer = spec.layers[0];
    expect(layer?.attention).toMatchObject({ kind: 'fused', order: 'per-head' });
    expect(layer?.mlpNorm.weight.name).toBe('transformer.h.0.post_attention_layernorm.weight');
    expect(layer?.attentionOutput.bias).toBeDefined();
    expect(spec.parameterCount).toBe(47040);
    expect(modelFeatures(spec)).toEqual(['alibi']);
  });

  it('Falcon: legacy key names and new_decoder without parallel_attn', async () => {
    const legacy = await copyWith('falcon-mq-parallel-f32', (c) => {
      c['n_embed'] = c['hidden_size'];
      c['n_head'] = c['num_attention_heads'];
      c['n_layer'] = c['num_hidden_layers'];
      delete c['hidden_size'];
      delete c['num_attention_heads'];
      delete c['num_hidden_layers'];
    });
    expect(await openModelSpec(legacy)).toMatchObject({ hiddenSize: 40, numHeads: 5, numLayers: 2 });
    const broken = await copyWith('falcon-newdec-gqa3-untied-f16', (c) => (c['parallel_attn'] = false));
    await expect(openModelSpec(broken)).rejects.toThrow(/parallel_attn false/);
  });

  it('Bart: post-norm, offset learned positions, embedding norm, no final norm; cross-attention counted', async () => {
    const spec = await open('bart-unscaled-untied-f32');
    expect(spec).toMatchObject({
      family: 'bart',
      hiddenSize: 24,
      numHeads: 3,
      headDim: 8,
      normPlacement: 'post',
    });
    expect(spec.positions).toMatchObject({ kind: 'learned', offset: 2 });
    expect(spec.positions.kind === 'learned' && spec.positions.embedding.shape).toEqual([66, 24]);
    expect(spec.embeddingScale).toBe(1);
    expect(spec.embeddingNorm?.weight.name).toBe('model.decoder.layernorm_embedding.weight');
    expect(spec.finalNorm).toBeUndefined();
    expect(spec.tiedEmbeddings).toBe(false);
    expect(spec.parameterCount).toBe(40064);
    expect(modelFeatures(spec)).toEqual(['position-offset', 'embedding-norm', 'post-norm', 'no-final-norm']);
    expect(describeLayout(spec)).toMatch(/^post-norm sequential, learned positions \(offset 2\)/);
  });

  it('Bart: cross-attention weights a checkpoint lacks are still counted, as transformers initialises them', async () => {
    const dir = await copyWith('bart-unscaled-untied-f32', () => {});
    await dropTensors(join(dir, 'model.safetensors'), (name) => name.includes('.encoder_attn'));
    // per layer: 4 × (24·24 + 24) linears + 2 × 24 LayerNorm = 2448
    expect((await openModelSpec(dir)).parameterCount).toBe(40064);
    expect((await open('bart-unscaled-untied-f32')).parameterCount).toBe(40064);
  });

  it('Bart: scale_embedding gives √d_model', async () => {
    const dir = await copyWith('bart-unscaled-untied-f32', (c) => (c['scale_embedding'] = true));
    expect((await openModelSpec(dir)).embeddingScale).toBe(Math.fround(Math.sqrt(24)));
  });
});
