import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptModelError, UnsupportedModelError, UsageError } from '../errors/index.js';
import { openModelSpec } from './open-model-spec.js';

/** The fixture models (test/fixtures/models: generated ones and copied real repos, data only). */
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/models/', import.meta.url));

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'pretrain-spec-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Copy fixture `name` to a scratch directory and apply `edit` to its config.json. */
async function copyWith(
  name: string,
  edit: (config: Record<string, unknown>) => void = () => {},
): Promise<string> {
  const dir = await mkdtemp(join(scratch, `${name}-`));
  await cp(join(FIXTURES, name), dir, { recursive: true });
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  edit(config);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('openModelSpec on the fixture models', () => {
  it('describes a tied GPT-2 (prefixed names) and counts the tied head once', async () => {
    const spec = await openModelSpec(join(FIXTURES, 'gpt2-tied-f32'));
    expect(spec).toMatchObject({ family: 'gpt2', hiddenSize: 32, numLayers: 2, numHeads: 4, headDim: 8 });
    expect(spec).toMatchObject({
      intermediateSize: 128,
      maxPositions: 64,
      activation: 'gelu_tanh',
      eosTokenIds: [511],
    });
    expect(spec.tiedEmbeddings).toBe(true);
    expect(spec.lmHead).toBe(spec.embedding);
    // wte 512·32 + wpe 64·32 + 2 × (2·64 LN + 32·96+96 + 32·32+32 + 32·128+128 + 128·32+32) + 64 LN
    expect(spec.parameterCount).toBe(16384 + 2048 + 2 * 12704 + 64);
    const qkv = spec.layers[0]?.attention;
    expect(qkv?.kind === 'fused' && qkv.order === 'blocks' && qkv.qkv.inputMajor).toBe(true);
  });

  it('reads GPT-2 names without the transformer. prefix and a separate head', async () => {
    const spec = await openModelSpec(join(FIXTURES, 'gpt2-untied-bf16'));
    expect(spec.tiedEmbeddings).toBe(false);
    expect(spec.lmHead.name).toBe('lm_head.weight');
    expect(spec.embedding.name).toBe('wte.weight');
    expect(spec.dtypes).toEqual(['BF16']);
  });

  it('matches the reference parameter count of a real HF GPT-2 repo', async () => {
    const spec = await openModelSpec(join(FIXTURES, 'gpt2-tiny-random'));
    expect(spec.parameterCount).toBe(811520); // sum of tensor sizes, by python over the header
    expect(spec.eosTokenIds).toEqual([50256]);
  });

  it('reads a sharded Llama with grouped kv heads', async () => {
    const spec = await openModelSpec(join(FIXTURES, 'llama-gqa-f32-sharded'));
    expect(spec).toMatchObject({
      family: 'llama',
      numHeads: 4,
      numKvHeads: 2,
      headDim: 8,
      tiedEmbeddings: false,
    });
    expect(spec.positions).toEqual({ kind: 'rotary', dims: 8, theta: 10000, pairing: 'half' });
    expect(new Set([spec.embedding.file, spec.lmHead.file]).size).toBe(2);
  });

  it('reads Llama biases, an explicit head_dim and rope_theta', async () => {
    const spec = await openModelSpec(join(FIXTURES, 'llama-bias-headdim-bf16'));
    expect(spec).toMatchObject({ headDim: 16, numKvHeads: 2, tiedEmbeddings: true });
    expect(spec.positions).toEqual({ kind: 'rotary', dims: 16, theta: 500000, pairing: 'half' });
    const layer = spec.layers[1];
    expect(layer?.attention.kind === 'separate' && layer.attention.q.weight.shape).toEqual([64, 32]);
    expect(layer?.attentionOutput.bias?.shape).toEqual([32]);
    expect(layer?.mlp.gate?.bias?.shape).toEqual([64]);
  });

  it('gives Qwen2 q/k/v biases but no output bias', async () => {
    const spec = await openModelSpec(join(FIXTURES, 'qwen2-gqa-tied-f32'));
    const layer = spec.layers[0];
    expect(layer?.attention.kind === 'separate' && layer.attention.k.bias?.shape).toEqual([16]);
    expect(layer?.attentionOutput.bias).toBeUndefined();
    expect(spec.lmHead).toBe(spec.embedding);
  });

  it('reads GPT-NeoX partial rotary and both residual styles', async () => {
    const parallel = await openModelSpec(join(FIXTURES, 'neox-parallel-f32'));
    expect(parallel).toMatchObject({
      family: 'gpt-neox',
      parallelResidual: true,
      activation: 'gelu',
      eosTokenIds: [0],
    });
    expect(parallel.positions).toEqual({ kind: 'rotary', dims: 2, theta: 10000, pairing: 'half' });
    const sequential = await openModelSpec(join(FIXTURES, 'neox-sequential-bf16'));
    expect(sequential.parallelResidual).toBe(false);
    expect(sequential.positions).toEqual({ kind: 'rotary', dims: 4, theta: 20000, pairing: 'half' });
  });

  it('merges EOS ids of config.json and generation_config.json', async () => {
    const dir = await copyWith('mistral-gqa-f32');
    await writeFile(join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: [7, 2] }));
    expect((await openModelSpec(dir)).eosTokenIds).toEqual([2, 7]);
  });
});

describe('openModelSpec rejections', () => {
  it('names what stands at model.safetensors when it is not a regular file (and never reads it)', async () => {
    const kinds: [string, (file: string) => Promise<void>, RegExp][] = [
      ['directory', (file) => mkdir(file), /model\.safetensors" is a directory, not a regular file/],
      [
        'fifo',
        async (file) => void execFileSync('mkfifo', [file]),
        /model\.safetensors" is a FIFO \(named pipe\), not a regular file/,
      ],
      [
        'device',
        (file) => symlink('/dev/zero', file),
        /model\.safetensors" is a character device, not a regular file/,
      ],
    ];
    for (const [name, make, message] of kinds) {
      const dir = await copyWith('gpt2-tied-f32');
      await unlink(join(dir, 'model.safetensors'));
      await make(join(dir, 'model.safetensors'));
      const error = await openModelSpec(dir).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(CorruptModelError);
      expect((error as Error).message, name).toMatch(message);
    }
  });

  it('names the known model types for an unsupported one', async () => {
    const dir = await copyWith('gpt2-tied-f32', (c) => (c['model_type'] = 'bert'));
    const error = await openModelSpec(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedModelError);
    expect((error as Error).message).toMatch(/model_type "bert" .*known: .*gpt2, gpt_neox, gptj, llama/);
  });

  it('refuses model types that are Object.prototype keys as unsupported', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const dir = await copyWith('gpt2-tied-f32', (c) => (c['model_type'] = name));
      const error = await openModelSpec(dir).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(UnsupportedModelError);
      expect((error as Error).message, name).toContain(`"${name}"`);
    }
  });

  it('judges the architecture by model_type, not by the architectures list', async () => {
    // AutoModelForCausalLM instantiates the class of the config's model_type.
    const gpt2 = await copyWith('gpt2-tied-f32', (c) => (c['architectures'] = ['LlamaForCausalLM']));
    expect((await openModelSpec(gpt2)).architecture).toBe('GPT2LMHeadModel');
    const neox = await copyWith('neox-parallel-f32', (c) => (c['architectures'] = ['BertForMaskedLM']));
    expect((await openModelSpec(neox)).architecture).toBe('GPTNeoXForCausalLM');
    const none = await copyWith('llama-mha-f16', (c) => delete c['architectures']);
    expect((await openModelSpec(none)).architecture).toBe('LlamaForCausalLM');
    // A Llama checkpoint that calls itself GPT-2 is read as GPT-2, and its weights do not fit.
    const liar = await copyWith('llama-mha-f16', (c) => (c['model_type'] = 'gpt2'));
    await expect(openModelSpec(liar)).rejects.toThrow(CorruptModelError);
  });

  it('needs a model_type string', async () => {
    for (const value of [undefined, 7, ['llama']]) {
      const dir = await copyWith('llama-mha-f16', (c) => (c['model_type'] = value));
      await expect(openModelSpec(dir)).rejects.toThrow(/has no "model_type" string/);
    }
  });

  it('rejects weights whose shapes disagree with config.json', async () => {
    const dir = await copyWith('llama-mha-f16', (c) => (c['intermediate_size'] = 96));
    await expect(openModelSpec(dir)).rejects.toThrow(/has shape \[64,32\]; config.json implies \[96,32\]/);
  });

  it('rejects weights the config does not account for', async () => {
    const dir = await copyWith('llama-bias-headdim-bf16', (c) => (c['attention_bias'] = false));
    await expect(openModelSpec(dir)).rejects.toThrow(CorruptModelError);
  });

  it('rejects rope scaling it cannot compute', async () => {
    const dir = await copyWith(
      'qwen2-gqa-tied-f32',
      (c) => (c['rope_scaling'] = { rope_type: 'yarn', factor: 4 }),
    );
    await expect(openModelSpec(dir)).rejects.toThrow(UnsupportedModelError);
  });

  it('rejects a missing shard and a tensor the index misplaces', async () => {
    const missing = await copyWith('llama-gqa-f32-sharded');
    await unlink(join(missing, 'model-00002-of-00002.safetensors'));
    await expect(openModelSpec(missing)).rejects.toThrow(
      /names shard "model-00002-of-00002.safetensors", which is missing/,
    );
    const moved = await copyWith('llama-gqa-f32-sharded');
    const indexPath = join(moved, 'model.safetensors.index.json');
    const index = JSON.parse(await readFile(indexPath, 'utf8')) as { weight_map: Record<string, string> };
    index.weight_map['model.norm.weight'] = 'model-00001-of-00002.safetensors';
    await writeFile(indexPath, JSON.stringify(index));
    await expect(openModelSpec(moved)).rejects.toThrow(CorruptModelError);
  });

  it('reads model.safetensors and ignores other copies of the weights beside it', async () => {
    const dir = await copyWith('gpt2-tied-f32');
    await writeFile(join(dir, 'consolidated.safetensors'), 'a differently named copy, not loaded');
    expect((await openModelSpec(dir)).parameterCount).toBe(43904);
  });

  it('prefers model.safetensors over an index, and loads no other name, as from_pretrained does', async () => {
    const both = await copyWith('gpt2-tied-f32');
    await writeFile(
      join(both, 'model.safetensors.index.json'),
      '{"weight_map":{"lm_head.weight":"model-00001-of-00001.safetensors"}}',
    );
    expect((await openModelSpec(both)).parameterCount).toBe(43904);
    const renamed = await copyWith('gpt2-tied-f32');
    await rename(join(renamed, 'model.safetensors'), join(renamed, 'weights.safetensors'));
    await expect(openModelSpec(renamed)).rejects.toThrow(
      /has neither model\.safetensors nor model\.safetensors\.index\.json/,
    );
  });

  it('refuses pickle-only weights without reading them', async () => {
    const dir = await copyWith('gpt2-tied-f32');
    await unlink(join(dir, 'model.safetensors'));
    await writeFile(join(dir, 'pytorch_model.bin'), 'not unpickled');
    await expect(openModelSpec(dir)).rejects.toThrow(/only pickle weights \(pytorch_model\.bin\)/);
  });

  it('rejects a truncated weight file', async () => {
    const dir = await copyWith('gpt2-tied-f32');
    const file = join(dir, 'model.safetensors');
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 100));
    await expect(openModelSpec(dir)).rejects.toThrow(/looks truncated|ends at byte/);
  });

  it('refuses a weight header beyond the budget of its config before parsing it', async () => {
    // 2 layers: 64 KiB + 256 × (64 + 2 × 32) = 98304 bytes. The header below is not even
    // JSON, so only the length check, made before reading, can name the budget.
    const dir = await copyWith('gpt2-tied-f32');
    const header = Buffer.alloc(200_000, 0x20);
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(header.length));
    await writeFile(join(dir, 'model.safetensors'), Buffer.concat([prefix, header]));
    await expect(openModelSpec(dir)).rejects.toThrow(
      /header length 200000 exceeds 98304 bytes, what is left of the 98304-byte header budget of a 2-layer config.json/,
    );
  });

  it('refuses a config.json over 1 MiB, not UTF-8, or with a byte-order mark', async () => {
    const big = await copyWith('gpt2-tied-f32', (c) => (c['padding'] = 'x'.repeat(1024 * 1024)));
    await expect(openModelSpec(big)).rejects.toThrow(/a model's JSON file may hold at most 1048576/);
    const latin1 = await copyWith('gpt2-tied-f32');
    const text = await readFile(join(latin1, 'config.json'), 'utf8');
    await writeFile(
      join(latin1, 'config.json'),
      Buffer.from(text.replace('{', '{"note": "caf\u00e9",'), 'latin1'),
    );
    await expect(openModelSpec(latin1)).rejects.toThrow(CorruptModelError);
    const bom = await copyWith('gpt2-tied-f32');
    await writeFile(join(bom, 'config.json'), `\ufeff${await readFile(join(bom, 'config.json'), 'utf8')}`);
    await expect(openModelSpec(bom)).rejects.toThrow(CorruptModelError);
  });

  it('says what is wrong with a non-model directory and a bad path', async () => {
    await expect(openModelSpec(scratch)).rejects.toThrow(CorruptModelError);
    await expect(openModelSpec(join(scratch, 'nope'))).rejects.toThrow(UsageError);
  });
});
