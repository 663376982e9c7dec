import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@pretrain/backend-sdk';
import { compareUtf8 } from './compare-utf8.js';
import { MAX_SAFETENSORS_INDEX_BYTES, resolvePretrainedFiles } from './pretrained-files.js';
import { walkModelFiles } from './walk-model-files.js';

/** `base64(sha256(file bytes))`, following symlinks to their target's content. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/** One running sha256 over the base64 hash of each file, in the order given. */
async function hashFileSequence(
  dir: string,
  files: AsyncIterable<string> | Iterable<string>,
): Promise<string> {
  const running = createHash('sha256');
  for await (const file of files) {
    const hash = await hashFile(file).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new UsageError(`cannot read '${file}' of model directory '${dir}': ${code}`, {
        hint: 'a model directory holds readable files: fix or remove broken symlinks',
        cause: error,
      });
    });
    running.update(hash, 'utf8');
  }
  return running.digest('base64');
}

/**
 * The reference's directory hash of every file under `dir` (docs/SUBNET.md §3):
 * the base64 hash of each file, in the order {@link walkModelFiles} gives (a top-down
 * walk, sorted names, files before sub-directories), fed as UTF-8 text into one running
 * sha256; `base64(digest)`. On a downloaded model, which holds only the files a model
 * load reads, this is the subnet hash; on any other directory see
 * {@link hashPretrainedFileSet}.
 *
 * Symlinks follow `os.walk(path)` exactly: a symlinked file counts by its target's
 * content, a symlink to a directory is never entered, and a broken symlink makes hashing
 * fail as the reference's `open` does. Where Python silently hashes less (a path that is
 * not a directory, an unreadable sub-directory) this is an error instead. Names are
 * assumed to be valid UTF-8, where Python's code-point order equals byte order.
 *
 * @throws UsageError when `dir` is not a directory or one of its files cannot be read.
 */
export async function hashModelDirectory(dir: string): Promise<string> {
  return hashFileSequence(dir, walkModelFiles(dir));
}

/**
 * The subnet hash of a local model directory: the directory hash of only the files that
 * `from_pretrained` reads ({@link resolvePretrainedFiles}: `config.json`,
 * `generation_config.json` when present, `model.safetensors` or the index and its
 * shards), as a validator computes it on its download. Tokenizer files, READMEs and
 * stray weights beside them change nothing. All those files sit at the top of the
 * directory, so their walk order is plain byte-wise name order.
 *
 * @throws UsageError when `dir` is not a directory, is not a loadable model (no
 *   config.json, no weights, a bad index) or a file cannot be read.
 */
export async function hashPretrainedFileSet(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw new UsageError(`'${dir}' is not a directory`, {
      hint: 'pass the model directory (with config.json)',
      cause: error,
    });
  });
  // Anything but a directory (a symlink too, even a broken one) may be one of the files.
  const names = entries.filter((e) => !e.isDirectory()).map((e) => e.name);
  const set = await resolvePretrainedFiles(names, async (name) => {
    const path = join(dir, name);
    const size = (await stat(path).catch(() => undefined))?.size ?? 0;
    if (size > MAX_SAFETENSORS_INDEX_BYTES) {
      throw new UsageError(
        `'${path}' has ${size} bytes, more than an index may have (${MAX_SAFETENSORS_INDEX_BYTES})`,
      );
    }
    return readFile(path, 'utf8').catch((error: unknown) => {
      throw new UsageError(`cannot read '${path}'`, { cause: error });
    });
  });
  if (set.problem !== undefined) {
    throw new UsageError(`'${dir}' is not a model directory a validator can load: ${set.problem}`, {
      hint: 'save the model with save_pretrained(..., safe_serialization=True); `--all-files` hashes any directory',
    });
  }
  return hashFileSequence(
    dir,
    [...set.files].sort(compareUtf8).map((name) => join(dir, name)),
  );
}

/**
 * The hotkey-salted hash a miner may commit to stop same-block copying:
 * `base64(sha256(utf8(dirHash + hotkey)))`.
 */
export function saltHash(hash: string, hotkey: string): string {
  return createHash('sha256')
    .update(hash + hotkey, 'utf8')
    .digest('base64');
}

/**
 * Whether a downloaded model is the committed one: the chain hash equals the directory
 * hash, or the directory hash salted with `hotkey` when one is given.
 */
export function hashMatches(expected: string, dirHash: string, hotkey?: string): boolean {
  if (expected === dirHash) return true;
  return hotkey !== undefined && expected === saltHash(dirHash, hotkey);
}
