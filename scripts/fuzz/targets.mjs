// The fuzz targets: each mutates one kind of untrusted input and feeds it to the entry
// point a validator (or `pretrain eval`) uses on it. A target resolves with `accepted`
// or `refused <code>`; it throws only for what the campaign counts as a crash.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { join, relative, isAbsolute } from 'node:path';
import {
  PretrainError,
  criteriaForBlock,
  formatModelId,
  openModelSpec,
  parseModelId,
  readGenerationSettings,
  validateCommitment,
} from '@pretrain/core';
import { snapshotDirectory } from '../../packages/core/dist/storage/local-model-store-layout.js';
import { decodeCommitment } from '../../packages/subtensor/dist/client/commitment-codec.js';
import { readTokenFile } from '../../packages/cli/dist/commands/eval/token-file.js';
import { PROTOTYPE_NAMES, jsonText, mutateBytes, mutateJson } from './mutators.mjs';

const FIXTURES = new URL('../../test/fixtures/models/', import.meta.url);
/** Single-file models of every family and dtype, and the sharded one (for index files). */
const MODELS = [
  'gpt2-tied-f32',
  'gpt2-untied-bf16',
  'llama-mha-f16',
  'llama-bias-headdim-bf16',
  'mistral-mqa-bf16',
  'neox-parallel-f32',
  'qwen2-gqa-tied-f32',
];
const SHARDED = 'llama-gqa-f32-sharded';
const INDEX = 'model.safetensors.index.json';

/** An invariant broken without an exception (a path escaping its root, a lossy codec). */
export class InvariantError extends Error {}

/** An error from the code under test that is not a PretrainError: what the campaign hunts. */
export class TargetCrash extends Error {
  constructor(cause) {
    super(String(cause?.stack ?? cause), { cause });
  }
}

/** What a target's run gives back when nothing crashed. */
async function outcome(run) {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    if (error instanceof PretrainError) return `refused ${error.code}`;
    if (error instanceof InvariantError) throw error;
    throw new TargetCrash(error);
  }
}

/** Copy every fixture model into `scratch` once and keep the pristine bytes of each file. */
export async function prepareModels(scratch) {
  const pristine = new Map();
  for (const name of [...MODELS, SHARDED]) {
    const dir = join(scratch, name);
    await cp(new URL(name, FIXTURES), dir, { recursive: true });
    for (const file of ['config.json', 'generation_config.json', 'model.safetensors', INDEX]) {
      const bytes = await readFile(join(dir, file)).catch(() => undefined);
      if (bytes !== undefined) pristine.set(join(dir, file), bytes);
    }
  }
  return pristine;
}

/**
 * Write `bytes` to `file`, then read its directory as a validator does (openModelSpec on
 * the main process; the generation settings for the sanity check in the evaluating
 * child), then restore the file.
 */
async function openMutated(pristine, dir, file, bytes) {
  const path = join(dir, file);
  await writeFile(path, bytes);
  try {
    return await outcome(async () => {
      const spec = await openModelSpec(dir);
      await readGenerationSettings(dir, spec.vocabSize);
    });
  } finally {
    await writeFile(path, pristine.get(path));
  }
}

/** Length prefixes at the edges: empty, off by one, past the file, the limits, 2^64 − 1. */
function prefixValues(headerLength, fileSize) {
  return [
    0n,
    1n,
    2n,
    BigInt(headerLength - 1),
    BigInt(headerLength + 1),
    BigInt(fileSize),
    BigInt(fileSize - 8),
    2n ** 32n + BigInt(headerLength),
    2n ** 53n,
    2n ** 63n,
    2n ** 64n - 1n,
    100_000_000n,
    100_000_001n,
    81_920n,
    98_304n,
    98_305n,
  ];
}

/** A mutated safetensors file: its header JSON, its bytes, its length prefix or its data. */
function mutateSafetensors(rng, original) {
  const headerLength = Number(original.readBigUInt64LE(0));
  const header = original.subarray(8, 8 + headerLength);
  const data = original.subarray(8 + headerLength);
  const prefix = (length) => {
    const out = Buffer.alloc(8);
    out.writeBigUInt64LE(BigInt(length));
    return out;
  };
  switch (rng.int(10)) {
    case 0:
    case 1:
    case 2:
    case 3: {
      const text = Buffer.from(jsonText(rng, mutateJson(rng, JSON.parse(header.toString('utf8')))));
      const body = rng.chance(0.9) ? data : mutateBytes(rng, data.subarray(0, 256), 0, 256);
      return Buffer.concat([prefix(text.length), text, body]);
    }
    case 4:
    case 5: {
      const mutated = mutateBytes(rng, header);
      const length = rng.chance(0.7) ? mutated.length : headerLength;
      return Buffer.concat([prefix(length), mutated, data]);
    }
    case 6: {
      const out = Buffer.from(original);
      out.writeBigUInt64LE(rng.pick(prefixValues(headerLength, original.length)) % 2n ** 64n, 0);
      return out;
    }
    case 7:
      return mutateBytes(rng, original);
    case 8:
      // Many entries: the shape of a header meant to cost time and memory.
      return manyEntries(rng, data);
    default:
      return rng.chance(0.5)
        ? original.subarray(0, 8 + headerLength + rng.int(data.length))
        : Buffer.concat([original, Buffer.alloc(1 + rng.int(64))]);
  }
}

/** A header of many small (zero-size) entries, up to about 300 KB. */
function manyEntries(rng, data) {
  const count = 1 + rng.int(6000);
  const parts = [];
  for (let i = 0; i < count; i++) parts.push(`"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
  const text = Buffer.from(`{${parts.join(',')}}`);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([prefix, text, rng.chance(0.5) ? data : Buffer.alloc(0)]);
}

/** A mutated JSON file: mostly structural, sometimes raw bytes. */
function mutateJsonFile(rng, original) {
  if (rng.chance(0.2)) return mutateBytes(rng, original);
  return Buffer.from(jsonText(rng, mutateJson(rng, JSON.parse(original.toString('utf8')))));
}

/** Prototype names where the model type or architecture list is read, now and then. */
function mutateConfig(rng, original) {
  if (rng.chance(0.1)) {
    const config = JSON.parse(original.toString('utf8'));
    const name = rng.pick(PROTOTYPE_NAMES);
    if (rng.chance(0.5)) config.architectures = [name];
    else config.model_type = name;
    return Buffer.from(JSON.stringify(config));
  }
  return mutateJsonFile(rng, original);
}

/** The targets, by name; `run(rng, state)` resolves with an outcome label. */
export const TARGETS = {
  async safetensors(rng, { scratch, pristine }) {
    const dir = join(scratch, rng.pick(MODELS));
    return openMutated(
      pristine,
      dir,
      'model.safetensors',
      mutateSafetensors(rng, pristine.get(join(dir, 'model.safetensors'))),
    );
  },

  async config(rng, { scratch, pristine }) {
    const dir = join(scratch, rng.pick([...MODELS, SHARDED]));
    const file = rng.chance(0.8) ? 'config.json' : 'generation_config.json';
    const original = pristine.get(join(dir, file)) ?? Buffer.from('{}');
    const bytes = file === 'config.json' ? mutateConfig(rng, original) : mutateJsonFile(rng, original);
    return openMutated(pristine, dir, file, bytes);
  },

  async index(rng, { scratch, pristine }) {
    const dir = join(scratch, SHARDED);
    return openMutated(pristine, dir, INDEX, mutateJsonFile(rng, pristine.get(join(dir, INDEX))));
  },

  async commitment(rng, { scratch }) {
    const registration = mutatedRegistration(rng);
    let decoded;
    const result = await outcome(() => (decoded = decodeCommitment('5Fuzz', registration)));
    if (result !== 'accepted') return result;
    const { data, block } = decoded;
    if (data === undefined) return 'refused no-metadata';
    let id;
    let again;
    const parsed = await outcome(() => {
      id = parseModelId(data);
      if (id !== undefined) again = parseModelId(formatModelId(id));
    });
    if (parsed !== 'accepted') return parsed;
    if (id === undefined) return 'refused no-metadata';
    if (!isDeepStrictEqual(again, id))
      throw new InvariantError(`${JSON.stringify(data)} does not survive format/parse`);
    const steps = [
      () => criteriaForBlock(block, undefined, id.competitionId),
      () => validateCommitment(id),
      () => {
        const path = snapshotDirectory(scratch, '5Fuzz', id);
        const inside = relative(scratch, path);
        if (inside.startsWith('..') || isAbsolute(inside)) {
          throw new InvariantError(`${JSON.stringify(data)} names ${path}, outside ${scratch}`);
        }
      },
    ];
    const results = [];
    for (const step of steps) results.push(await outcome(step));
    return results.find((r) => r !== 'accepted') ?? 'accepted';
  },

  async tokens(rng, { scratch }) {
    const batches = Array.from({ length: 1 + rng.int(3) }, () => {
      const width = 2 + rng.int(6);
      return Array.from({ length: 1 + rng.int(3) }, () =>
        Array.from({ length: width }, () => rng.int(50257)),
      );
    });
    const original = Buffer.from(JSON.stringify(rng.chance(0.2) ? batches[0] : batches));
    const path = join(scratch, 'tokens.json');
    await writeFile(path, mutateJsonFile(rng, original));
    return outcome(() => readTokenFile(path));
  },
};

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A well-formed commitment string (namespace:name:commit:hash[:competition]). */
function commitmentString(rng) {
  const word = (n) => Array.from({ length: 1 + rng.int(n) }, () => rng.pick([...'abcxyz019-_.'])).join('');
  const commit = Array.from({ length: 40 }, () => rng.pick([...HEX])).join('');
  const hash = `${Array.from({ length: 43 }, () => rng.pick([...B64])).join('')}=`;
  const fields = [word(12), word(20), commit, hash];
  if (rng.chance(0.5)) fields.push(rng.pick(['B7_MULTI_CHOICE', '1', '2', 'None', word(6)]));
  return fields.join(':');
}

/** A `Commitments.CommitmentOf` value as JSON, well-formed or bent out of shape. */
function mutatedRegistration(rng) {
  let text = commitmentString(rng);
  if (rng.chance(0.6)) {
    const bytes = mutateBytes(rng, Buffer.from(text));
    text = bytes.toString('latin1');
    if (rng.chance(0.5)) {
      return registration(rng, `Raw${bytes.length}`, `0x${bytes.toString('hex')}`);
    }
  }
  const bytes = Buffer.from(text, 'utf8');
  const kind = rng.chance(0.9)
    ? `Raw${bytes.length}`
    : rng.pick(['raw1', 'Sha256', 'BlakeTwo256', ...PROTOTYPE_NAMES]);
  const hex = rng.chance(0.95)
    ? `0x${bytes.toString('hex')}`
    : rng.pick(['0x0', '0xzz', '', 'deadbeef', null, 5]);
  return registration(rng, kind, hex);
}

function registration(rng, kind, hex) {
  const value = {
    block: rng.pick([0, 1, 4_000_000, 5_000_000, -1, 1.5, '123', null, 2 ** 53, Number.NaN]),
    info: { fields: [{ [kind]: hex }] },
  };
  return rng.chance(0.1) ? mutateJson(rng, value) : value;
}
