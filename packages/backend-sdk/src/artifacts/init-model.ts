import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnsupportedModelError, UsageError } from '../errors/index.js';
import { causalLmClassOf } from './causal-lm-classes.js';
import { HfConfig } from './hf-config.js';
import type { ModelSpec, TensorView } from './model-spec.js';
import { readModelJson } from './model-json.js';
import { writeSafetensors, type TensorData } from './safetensors-writer.js';
import { ARCHITECTURE_BUILDERS, SUPPORTED_ARCHITECTURES } from './supported-architectures.js';
import { SAFETENSORS_FILE } from './weight-file-names.js';
import { WeightTable } from './weight-table.js';

/**
 * A weight table that has every tensor a builder asks for, with the asked shape: running
 * an architecture builder over it lists the names and shapes transformers would create.
 */
class RecordingTable extends WeightTable {
  readonly asked = new Map<string, TensorView>();
  readonly dropped = new Set<string>();

  constructor(private readonly prefix: string) {
    super(new Map(), '(init)');
  }

  override take(name: string, shape: readonly number[]): TensorView {
    const full = this.prefix + name;
    const seen = this.asked.get(full);
    if (seen !== undefined) return seen;
    const view: TensorView = { name: full, dtype: 'F32', shape: [...shape], file: '', offset: 0, length: 0 };
    this.asked.set(full, view);
    return view;
  }

  override maybe(name: string, shape: readonly number[]): TensorView | undefined {
    return this.take(name, shape);
  }

  override has(): boolean {
    return true;
  }

  override skip(name: string): void {
    this.dropped.add(this.prefix + name);
  }
}

/** mulberry32 then Box–Muller: a seeded normal(0, 1) stream (not torch's, documented). */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Write a freshly initialised model for the `config.json` object `config` into `dir`
 * (config.json + model.safetensors, F32), as transformers' `_init_weights` does: every
 * linear and embedding weight normal(0, `initializer_range`, default 0.02), biases 0,
 * norm scales 1 (Gemma stores `w` of `1 + w`: 0), the `pad_token_id` embedding row 0, the
 * tied head once. The random stream is seeded by `seed` (mulberry32, not torch's). GPT-2's
 * extra 1/√(2·layers) scaling of its residual projections is not applied.
 * @throws UnsupportedModelError for an architecture core cannot describe.
 * @throws CorruptModelError for a config.json it cannot read.
 */
export async function writeInitialModel(
  config: Record<string, unknown>,
  dir: string,
  seed: number,
): Promise<void> {
  const hf = new HfConfig(config, 'config.json');
  const architecture = causalLmClassOf(hf);
  const builder = ARCHITECTURE_BUILDERS.get(architecture);
  if (builder === undefined) {
    throw new UnsupportedModelError(`architecture "${architecture}" is not supported`, {
      hint: `supported: ${SUPPORTED_ARCHITECTURES.join(', ')}`,
    });
  }
  const table = new RecordingTable(builder.optionalPrefix ?? '');
  const parts = builder.build(hf, table) as unknown as ModelSpec;
  const norms = new Set<string>();
  for (const n of [
    parts.finalNorm,
    parts.embeddingNorm,
    ...parts.layers.flatMap((l) => [l.attentionNorm, l.mlpNorm]),
  ]) {
    if (n !== undefined) norms.add(n.weight.name);
  }
  const std = hf.number('initializer_range', 0.02);
  const next = normals(seed);
  const tensors: TensorData[] = [];
  for (const view of table.asked.values()) {
    if (table.dropped.has(view.name) && view.name !== parts.embedding.name) continue;
    const count = view.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    const isNorm = norms.has(view.name) || /(layer_?norm|_ln|ln_\w+)\.weight$/.test(view.name);
    if (isNorm) values.fill(1 - parts.norm.weightOffset);
    else if (view.shape.length > 1) for (let i = 0; i < count; i += 1) values[i] = next() * std;
    if (view.name === parts.embedding.name && parts.paddingIdx !== undefined) {
      const width = view.shape[1] as number;
      values.fill(0, parts.paddingIdx * width, (parts.paddingIdx + 1) * width);
    }
    tensors.push({ name: view.name, dtype: 'F32', shape: view.shape, values });
  }
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    await writeSafetensors(join(dir, SAFETENSORS_FILE), tensors, { format: 'pt' });
  } catch (cause) {
    throw new UsageError(`cannot write the initial model into "${dir}": ${(cause as Error).message}`, {
      hint: 'choose a writable output directory',
      cause,
    });
  }
}

/** Read a `config.json` for {@link writeInitialModel}. */
export async function readInitConfig(path: string): Promise<Record<string, unknown>> {
  return (await readModelJson(path, true)) as Record<string, unknown>;
}
