import { mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelRejectedError, ModelStoreError, UsageError } from '@pretrain/backend-sdk';
import { hashModelDirectory } from '../model/model-hash.js';
import { MAX_SAFETENSORS_INDEX_BYTES, resolvePretrainedFiles } from '../model/pretrained-files.js';
import { resolveConfinedFile } from './confined-file.js';
import { classifyModelFile, repoPathProblem, verifyModelHash } from './download-guards.js';

/** A regular file (or a symlink to one inside the directory) found under a local model directory. */
export interface LocalModelFile {
  /** Relative path with `/` separators. */
  readonly path: string;
  /** Where its content is read from: the real path (a symlink is followed to its target). */
  readonly absolutePath: string;
  readonly size: number;
}

/**
 * Every file under `dir`, recursively, sorted by path. Symlinks to files inside `dir`
 * count as files (their content is what a hash sees); anything else is refused with
 * `ModelRejectedError('bad-path')` (see {@link resolveConfinedFile}): a link that leaves
 * the directory (so neither a stored repo nor a miner's own directory can make an upload
 * or a copy read arbitrary files), a link to a directory (the reference hash never
 * enters them, so a copy would silently differ), and any entry that is not a regular
 * file.
 */
export async function listLocalFiles(dir: string): Promise<LocalModelFile[]> {
  const root = await realpath(dir);
  const found: LocalModelFile[] = [];
  const visit = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const absolute = join(dir, path);
      if (entry.isDirectory()) {
        await visit(path);
        continue;
      }
      const file = await resolveConfinedFile(root, absolute, { path, dir });
      found.push({ path, absolutePath: file.realPath, size: file.size });
    }
  };
  await visit('');
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The files of a model directory that may be uploaded: safetensors, JSON and tokenizer
 * files. Other files (README, images) are left out. Of these, only the ones a model load
 * reads count for the hash ({@link resolvePretrainedFiles}); the directory must hold
 * them, or validators could never load the upload.
 *
 * @throws ModelStoreError when the directory holds pickles, no safetensors file, or not
 *   the files a model load reads (config.json, model.safetensors or index and shards).
 * @throws UsageError when a file name could not be stored safely.
 */
export async function selectUploadFiles(dir: string): Promise<LocalModelFile[]> {
  const all = await listLocalFiles(dir).catch((error: unknown) => {
    if (error instanceof ModelRejectedError) throw error;
    throw new UsageError(`Cannot read the model directory '${dir}'`, {
      hint: 'pass a directory holding config.json and *.safetensors',
      cause: error,
    });
  });
  const pickles = all.filter((f) => classifyModelFile(f.path) === 'pickle').map((f) => f.path);
  if (pickles.length > 0) {
    throw new ModelStoreError(`Refusing to upload pickle files from '${dir}': ${pickles.join(', ')}`, {
      hint: 'save the weights as safetensors (save_pretrained(safe_serialization=True)) and remove the pickles',
    });
  }
  const chosen = all.filter((f) => classifyModelFile(f.path) !== 'other');
  if (!chosen.some((f) => classifyModelFile(f.path) === 'safetensors')) {
    throw new ModelStoreError(`'${dir}' holds no .safetensors file to upload`, {
      hint: 'pass the directory written by save_pretrained (config.json + *.safetensors)',
    });
  }
  const byPath = new Map(chosen.map((f) => [f.path, f]));
  const loaded = await resolvePretrainedFiles(byPath.keys(), async (path) => {
    const index = byPath.get(path) as LocalModelFile;
    if (index.size > MAX_SAFETENSORS_INDEX_BYTES) {
      throw new ModelStoreError(
        `'${path}' in '${dir}' has ${index.size} bytes; validators read no index over ${MAX_SAFETENSORS_INDEX_BYTES}`,
      );
    }
    return readFile(index.absolutePath, 'utf8');
  });
  if (loaded.problem !== undefined) {
    throw new ModelStoreError(`'${dir}' is not a model validators can load: ${loaded.problem}`, {
      hint: 'upload the directory written by save_pretrained(..., safe_serialization=True)',
    });
  }
  for (const file of chosen) {
    const problem = repoPathProblem(file.path);
    if (problem !== undefined) {
      throw new UsageError(`Cannot upload '${file.path}' from '${dir}': ${problem}`, {
        hint: 'rename the file',
      });
    }
  }
  return chosen;
}

/**
 * A fresh staging directory beside `dest` (same file system, so the final rename is
 * atomic). Refuses a `dest` that exists already.
 */
export async function stageDownload(dest: string): Promise<string> {
  if (
    await stat(dest).then(
      () => true,
      () => false,
    )
  ) {
    throw new UsageError(`The download destination '${dest}' exists already`, {
      hint: 'download into a new directory (a complete copy is never overwritten)',
    });
  }
  const parent = dirname(dest);
  await mkdir(parent, { recursive: true });
  return mkdtemp(join(parent, `.${basename(dest)}.partial-`));
}

/**
 * Hash the staged copy, verify it against `expected` (plain or salted with `hotkey`) and
 * rename it to `dest`; on any failure the staging directory is removed, so a partial or
 * rejected download never appears at `dest`.
 */
export async function finishDownload(
  staging: string,
  dest: string,
  check: {
    readonly label: string;
    readonly expected: string | undefined;
    readonly hotkey?: string | undefined;
  },
): Promise<string> {
  try {
    const hash = await hashModelDirectory(staging);
    verifyModelHash(check.label, check.expected, hash, check.hotkey);
    await rename(staging, dest);
    return hash;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
