import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UnsupportedModelError, UsageError } from '../errors/index.js';
import { causalLmClassOf } from './causal-lm-classes.js';
import { countParameters } from './count-parameters.js';
import { headerBudget } from './header-budget.js';
import { HfConfig } from './hf-config.js';
import type { Dtype, ModelSpec } from './model-spec.js';
import { readModelJson } from './model-json.js';
import { ARCHITECTURE_BUILDERS, SUPPORTED_ARCHITECTURES } from './supported-architectures.js';
import { readWeightFiles } from './weight-files.js';
import { WeightTable } from './weight-table.js';

/**
 * Describe the Hugging Face model in `dir` (config.json, optional generation_config.json,
 * safetensors weights) as a {@link ModelSpec}. Every weight's shape is checked against
 * the config, and weights the config does not account for are refused. The JSON files
 * may hold at most `MAX_MODEL_JSON_BYTES` (`readModelJson`), the safetensors headers together at most
 * the {@link headerBudget} of the config, checked before they are read.
 *
 * @throws UsageError when `dir` is not a directory.
 * @throws UnsupportedModelError for an unsupported architecture, dtype or feature, or pickle-only weights.
 * @throws CorruptModelError for a missing or invalid config.json or damaged/mismatched weights.
 */
export async function openModelSpec(dir: string): Promise<ModelSpec> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UsageError(`model path "${root}" is not a directory`, {
      hint: 'pass a Hugging Face model directory (config.json + *.safetensors)',
    });
  }
  const config = new HfConfig(await readJson(join(root, 'config.json'), true), join(root, 'config.json'));
  const architecture = causalLmClassOf(config);
  const builder = ARCHITECTURE_BUILDERS.get(architecture);
  if (!builder) {
    throw new UnsupportedModelError(
      `architecture "${architecture}" of "${root}" is not supported; supported: ${SUPPORTED_ARCHITECTURES.join(', ')}`,
    );
  }
  const weights = await readWeightFiles(root, headerBudget(config));
  const table = new WeightTable(weights.tensors, root, builder.optionalPrefix ?? '');
  const { absentParameters = 0, ...parts } = builder.build(config, table);
  table.assertAllUsed(builder.buffers);
  const parameters = table.taken();
  const generation = await readJson(join(root, 'generation_config.json'), false);
  const eos = new Set([
    ...config.tokenIds('eos_token_id'),
    ...new HfConfig(generation, join(root, 'generation_config.json')).tokenIds('eos_token_id'),
  ]);
  return {
    ...parts,
    architecture,
    dir: root,
    eosTokenIds: [...eos].sort((a, b) => a - b),
    parameterCount: countParameters(parameters) + absentParameters,
    dtypes: [...new Set(parameters.map((v) => v.dtype))].sort() as Dtype[],
    weightBytes: weights.bytes,
  };
}

async function readJson(path: string, required: boolean): Promise<Record<string, unknown>> {
  return (await readModelJson(path, required)) ?? {};
}
