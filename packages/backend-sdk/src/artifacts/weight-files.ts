import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CorruptModelError, UnsupportedModelError } from '../errors/index.js';
import { describeFileKind } from './file-kind.js';
import type { HeaderBudget } from './header-budget.js';
import { SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE } from './weight-file-names.js';
import type { TensorView } from './model-spec.js';
import { readSafetensorsHeader } from './safetensors.js';

/** Weight formats that need unpickling (code execution) to read; never loaded. */
const PICKLE_WEIGHT_SUFFIXES = ['.bin', '.pt', '.pth', '.ckpt', '.pkl'];

/** Every tensor of a model directory, by name, and the files they came from. */
export interface WeightFiles {
  readonly tensors: ReadonlyMap<string, TensorView>;
  /** Absolute paths of the safetensors files, sorted. */
  readonly files: readonly string[];
  /** Total size of those files in bytes. */
  readonly bytes: number;
}

/**
 * Find and validate a model directory's safetensors weights as `from_pretrained(...,
 * use_safetensors=True)` picks them: `model.safetensors` when present, else the files
 * named by `model.safetensors.index.json` (each tensor must be in the file the index
 * names). Other safetensors files (Mistral's `consolidated.safetensors`, stray shards)
 * are never loaded, nor hashed. Tensor names must be unique.
 *
 * With a `budget`, the headers of all files together, and the index file, may hold at
 * most `budget.bytes`: each header's length prefix is checked before it is read.
 *
 * @throws UnsupportedModelError when only pickle weights (`.bin`, `.pt`, ...) exist.
 * @throws CorruptModelError for a bad index, missing shards or bad files.
 */
export async function readWeightFiles(dir: string, budget?: HeaderBudget): Promise<WeightFiles> {
  const root = resolve(dir);
  const names = (await readdir(root)).sort();
  const single = names.includes(SAFETENSORS_FILE);
  const index = !single && names.includes(SAFETENSORS_INDEX_FILE) ? await readIndex(root, budget) : undefined;
  const fileNames = single ? [SAFETENSORS_FILE] : index ? [...new Set(index.values())].sort() : [];
  if (fileNames.length === 0) throw noWeights(root, names);
  const tensors = new Map<string, TensorView>();
  const files: string[] = [];
  let bytes = 0;
  let headerBytes = 0;
  for (const name of fileNames) {
    const file = join(root, name);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined) {
      throw new CorruptModelError(
        index
          ? `"${SAFETENSORS_INDEX_FILE}" in "${root}" names shard "${name}", which is missing`
          : `"${file}" is missing (a link to nothing)`,
        { hint: 'download every shard of the model' },
      );
    }
    if (!info.isFile()) {
      // Reading a FIFO or a device would block or never end: say what it is instead.
      throw new CorruptModelError(`"${file}" is ${describeFileKind(info)}, not a regular file`, {
        hint: 'weights must be regular .safetensors files',
      });
    }
    const header = await readSafetensorsHeader(file, budget && limitOf(budget, headerBytes));
    headerBytes += header.headerBytes;
    files.push(header.file);
    bytes += header.fileSize;
    for (const view of header.tensors) {
      if (tensors.has(view.name))
        throw new CorruptModelError(`tensor "${view.name}" appears twice in "${root}"`);
      if (index && index.get(view.name) !== name) {
        throw new CorruptModelError(
          `tensor "${view.name}" is in "${name}" but "${SAFETENSORS_INDEX_FILE}" maps it to ${JSON.stringify(index.get(view.name) ?? null)}`,
        );
      }
      tensors.set(view.name, view);
    }
  }
  for (const [tensor, shard] of index ?? []) {
    if (!tensors.has(tensor)) {
      throw new CorruptModelError(
        `"${SAFETENSORS_INDEX_FILE}" maps tensor "${tensor}" to "${shard}", which lacks it`,
      );
    }
  }
  return { tensors, files, bytes };
}

/** What is left of `budget` after `used` header bytes, as a limit for the next header. */
function limitOf(budget: HeaderBudget, used: number): { bytes: number; why: string } {
  return {
    bytes: budget.bytes - used,
    why: `what is left of the ${budget.bytes}-byte header budget of a ${budget.layers}-layer config.json`,
  };
}

async function readIndex(root: string, budget: HeaderBudget | undefined): Promise<Map<string, string>> {
  const path = join(root, SAFETENSORS_INDEX_FILE);
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
  if (size === undefined) throw new CorruptModelError(`"${path}" is not a readable file`);
  // The index lists each tensor once, in fewer bytes than its header entry.
  if (budget !== undefined && size > budget.bytes) {
    throw new CorruptModelError(
      `"${path}" has ${size} bytes, more than the ${budget.bytes}-byte header budget of a ${budget.layers}-layer config.json`,
      { hint: 'the index is damaged or hostile: it cannot list more tensors than the config implies' },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new CorruptModelError(`cannot parse "${path}": ${(cause as Error).message}`, { cause });
  }
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new CorruptModelError(`"${path}" has no "weight_map" object`);
  }
  const index = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(map)) {
    // Shard names are plain file names in the model directory: no paths, no escaping it.
    if (typeof shard !== 'string' || basename(shard) !== shard || !shard.endsWith('.safetensors')) {
      throw new CorruptModelError(
        `"${path}" maps "${tensor}" to ${JSON.stringify(shard)}, not a .safetensors file name`,
      );
    }
    index.set(tensor, shard);
  }
  if (index.size === 0) throw new CorruptModelError(`"${path}" has an empty weight_map`);
  return index;
}

function noWeights(root: string, names: readonly string[]): Error {
  const pickles = names.filter((n) => PICKLE_WEIGHT_SUFFIXES.some((s) => n.endsWith(s)));
  if (pickles.length > 0) {
    return new UnsupportedModelError(
      `"${root}" has only pickle weights (${pickles.join(', ')}); they are never loaded because unpickling runs code`,
      { hint: 'save the model with safetensors (save_pretrained(..., safe_serialization=True))' },
    );
  }
  return new CorruptModelError(`"${root}" has neither ${SAFETENSORS_FILE} nor ${SAFETENSORS_INDEX_FILE}`, {
    hint: 'point at a Hugging Face model directory (config.json + model.safetensors, or the index and its shards)',
  });
}
