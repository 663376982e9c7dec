import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors/index.js';
import { SAFETENSORS_FILE } from './weight-file-names.js';
import type { ModelSpec } from './model-spec.js';
import { writeSafetensors, type TensorData } from './safetensors-writer.js';
import { readTensorF32 } from './tensor-read.js';
import { readWeightFiles } from './weight-files.js';

/** Names transformers' `save_pretrained` drops when the head is tied to the embedding. */
const TIED_HEAD_NAMES = new Set(['lm_head.weight', 'embed_out.weight']);

/**
 * Write a trained model in Hugging Face layout into `dir`: `config.json` and (when the
 * input has one) `generation_config.json` copied from `spec.dir`, and one
 * `model.safetensors` holding every tensor of the input under its name, in the input's
 * order: trained values from `trained` (by name), the rest (tensors the loss does not use,
 * such as Bart's cross-attention) copied; when the head is tied, a stored duplicate of it
 * is left out, as transformers saves tied weights once. Values are written as `dtype`.
 * The weights file is written beside and renamed, so a reader never sees half a file.
 * @throws UsageError when `dir` cannot be created or written.
 */
export async function writeTrainedModel(
  spec: ModelSpec,
  trained: ReadonlyMap<string, Float32Array>,
  dir: string,
  dtype: 'F32' | 'BF16' = 'F32',
): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new UsageError(`cannot create "${dir}": ${(cause as Error).message}`, {
      hint: 'choose a writable output directory',
      cause,
    });
  }
  const input = await readWeightFiles(spec.dir);
  const tensors: TensorData[] = [];
  for (const [name, view] of input.tensors) {
    if (spec.tiedEmbeddings && TIED_HEAD_NAMES.has(name) && name !== spec.embedding.name) continue;
    const values = trained.get(name) ?? (await readTensorF32(view));
    tensors.push({ name, dtype, shape: view.shape, values });
  }
  try {
    const partial = join(dir, `${SAFETENSORS_FILE}.partial`);
    await writeSafetensors(partial, tensors, { format: 'pt' });
    await rename(partial, join(dir, SAFETENSORS_FILE));
    for (const file of ['config.json', 'generation_config.json']) {
      const from = join(spec.dir, file);
      if ((await stat(from).catch(() => undefined))?.isFile()) await copyFile(from, join(dir, file));
    }
  } catch (cause) {
    throw new UsageError(`cannot write the model into "${dir}": ${(cause as Error).message}`, {
      hint: 'choose a writable output directory with room for the weights',
      cause,
    });
  }
}
