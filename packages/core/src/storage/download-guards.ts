import { ModelRejectedError } from '@pretrain/backend-sdk';
import { hashMatches, saltHash } from '../model/model-hash.js';

/** What a file in a model repo is, judged by its name. */
export type ModelFileKind = 'safetensors' | 'json' | 'tokenizer' | 'pickle' | 'other';

/** Extensions of files that Python's `pickle` may execute on load (never downloaded or uploaded). */
export const PICKLE_EXTENSIONS: readonly string[] = [
  '.bin',
  '.pt',
  '.pth',
  '.pkl',
  '.pickle',
  '.ckpt',
  '.joblib',
];

/** Tokenizer files that are not JSON (JSON ones are allowed by extension). */
const TOKENIZER_FILES = new Set([
  'merges.txt',
  'vocab.txt',
  'tokenizer.model',
  'spiece.model',
  'sentencepiece.bpe.model',
]);

/** Classify a repo path by its base name. */
export function classifyModelFile(path: string): ModelFileKind {
  const base = (path.split('/').pop() ?? path).toLowerCase();
  if (base.endsWith('.safetensors')) return 'safetensors';
  if (base.endsWith('.json')) return 'json';
  if (TOKENIZER_FILES.has(base) || base.endsWith('.tiktoken')) return 'tokenizer';
  if (PICKLE_EXTENSIONS.some((ext) => base.endsWith(ext))) return 'pickle';
  return 'other';
}

/** Why `path` is not a safe relative file name, or undefined when it is. */
export function repoPathProblem(path: string): string | undefined {
  if (path.length === 0) return 'it is empty';
  if (path.length > 1024) return 'it is longer than 1024 characters';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is absolute';
  // Control characters, backslashes (Windows separators), drive/stream colons and URL
  // metacharacters all make a name mean different things to different layers.
  if ([...path].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f') || /[\\:?#%]/.test(path))
    return 'it contains a control character or one of \\ : ? # %';
  for (const segment of path.split('/')) {
    if (segment === '') return 'it has an empty segment';
    if (segment === '.' || segment === '..') return `it has a '${segment}' segment`;
    if (segment === '.git') return "it reaches into '.git'";
    if (segment !== segment.trim()) return 'a segment starts or ends with whitespace';
    if (segment.length > 255) return 'a segment is longer than 255 characters';
  }
  return undefined;
}

/**
 * Throw `ModelRejectedError('bad-path')` unless `path` is a plain relative name (no
 * absolute path, no `..`, no control characters).
 */
export function assertSafeRepoPath(repo: string, path: string): void {
  const problem = repoPathProblem(path);
  if (problem !== undefined) {
    throw new ModelRejectedError(
      'bad-path',
      `Repo ${repo} lists the file ${JSON.stringify(path)}: ${problem}`,
      {
        hint: 'only plain relative file names are accepted; the repo was not downloaded',
      },
    );
  }
}

/** One file of a repo listing. */
export interface RepoFileEntry {
  /** Relative path with `/` separators. */
  readonly path: string;
  /** Size in bytes (the LFS size for LFS files). */
  readonly size: number;
}

/** The files of a listing that passed {@link checkRepoListing}. */
export interface CheckedListing {
  /** Files to download: every listed file except pickles, sorted by path. */
  readonly files: readonly RepoFileEntry[];
  /** Bytes of all listed files (pickles included, as the reference counts them). */
  readonly totalBytes: number;
  /** Bytes of {@link CheckedListing.files}: what a download writes. */
  readonly downloadBytes: number;
}

/**
 * Check a repo's file listing before downloading anything: every name must be safe,
 * the total must not exceed `maxBytes`, and a repo whose weights are pickles only is
 * refused. Pickle files are left out of the download.
 *
 * @throws ModelRejectedError `bad-path`, `oversize` or `pickle-only`.
 */
export function checkRepoListing(
  repo: string,
  entries: readonly RepoFileEntry[],
  maxBytes: number,
): CheckedListing {
  let totalBytes = 0;
  for (const entry of entries) {
    assertSafeRepoPath(repo, entry.path);
    if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
      throw new ModelRejectedError(
        'bad-path',
        `Repo ${repo} lists ${entry.path} with size ${String(entry.size)}`,
        {
          hint: 'a file size must be a non-negative integer',
        },
      );
    }
    totalBytes += entry.size;
  }
  if (totalBytes > maxBytes) {
    throw new ModelRejectedError(
      'oversize',
      `Repo ${repo} holds ${totalBytes} bytes in ${entries.length} files, over the limit of ${maxBytes} bytes`,
      { hint: 'nothing was downloaded; the criteria of the model block set the limit' },
    );
  }
  const kinds = entries.map((e) => classifyModelFile(e.path));
  if (!kinds.includes('safetensors') && kinds.includes('pickle')) {
    throw new ModelRejectedError('pickle-only', `Repo ${repo} has pickle weights and no .safetensors file`, {
      hint: 'pickles can run code when loaded; only safetensors weights are accepted',
    });
  }
  const files = entries.filter((_, i) => kinds[i] !== 'pickle');
  return {
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    totalBytes,
    downloadBytes: files.reduce((sum, f) => sum + f.size, 0),
  };
}

/**
 * Throw `ModelRejectedError('hash-mismatch')`, quoting both values, unless `expected`
 * equals `dirHash` or its salt with `hotkey`. An absent `expected` accepts anything.
 */
export function verifyModelHash(
  label: string,
  expected: string | undefined,
  dirHash: string,
  hotkey?: string,
): void {
  if (expected === undefined || hashMatches(expected, dirHash, hotkey)) return;
  const salted = hotkey === undefined ? '' : ` (salted with ${hotkey}: ${saltHash(dirHash, hotkey)})`;
  throw new ModelRejectedError(
    'hash-mismatch',
    `Model ${label} hashes to ${dirHash}${salted}, but its commitment says ${expected}`,
    { hint: 'the files differ from what the miner committed; the download was discarded' },
  );
}

const REPO_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$/;

/**
 * Why `namespace/name` is not a hub-style repo id that is also safe as two directory
 * names, or undefined when it is (letters, digits, `-`, `_`, `.`; no `..`).
 */
export function repoNameProblem(repo: {
  readonly namespace: string;
  readonly name: string;
}): string | undefined {
  for (const part of [repo.namespace, repo.name]) {
    if (!REPO_PART.test(part) || part.includes('..')) {
      return `${JSON.stringify(part)} is not a repo name (letters, digits, '-', '_', '.'; no '..')`;
    }
  }
  return undefined;
}
