import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '@pretrain/core';

/** The subtensor chain spec the devnet runs by default (runtime spec_version 218). */
export const PINNED_CHAIN_SPEC = {
  fileName: 'subtensor-spec218-raonet.json',
  url: 'https://raw.githubusercontent.com/opentensor/subtensor/e2b8367b8be2d9ce60ae5858c49138fa05f44a68/scripts/specs/raonet.json',
  sha256: 'bb2c7e34390f8fb5032750cc7d80d23f91a47f56fdebf4c35a24c7938b96c57c',
} as const;

/** Where {@link resolveChainSpec} looks, in this order. */
export interface ChainSpecSources {
  /** `--chain-spec <file>`. */
  readonly chainSpec?: string | undefined;
  /** The value of `PRETRAIN_CHAIN_SPEC`, passed in by the CLI. */
  readonly envChainSpec?: string | undefined;
  /** Cache directory (default `~/.cache/pretrain/chain`). */
  readonly cacheDir?: string | undefined;
  /**
   * The pinned spec shipped inside this package (default {@link bundledChainSpecPath});
   * `false` leaves it out, so the cache and the download are tried.
   */
  readonly bundled?: string | false | undefined;
  /** Download URL of the pinned spec (default {@link PINNED_CHAIN_SPEC}.url). */
  readonly downloadUrl?: string | undefined;
}

/** A chain spec file found by {@link resolveChainSpec}, and which rule found it. */
export interface ResolvedChainSpec {
  readonly path: string;
  readonly source: 'flag' | 'env' | 'bundled' | 'cache' | 'download';
}

/** Default cache directory of downloaded chain specs. */
export function defaultChainSpecCacheDir(): string {
  return join(homedir(), '.cache', 'pretrain', 'chain');
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The pinned spec as shipped in this package's `assets/chain/` (works offline). */
export function bundledChainSpecPath(): string {
  // From src/ (tests) and dist/ (built) alike, one level up is the package.
  return fileURLToPath(new URL(`../assets/chain/${PINNED_CHAIN_SPEC.fileName}`, import.meta.url));
}

/** The pinned spec at `path` when it is there and intact (an edited copy is never used). */
async function intactPinned(path: string): Promise<boolean> {
  return (await isFile(path)) && sha256(await readFile(path)) === PINNED_CHAIN_SPEC.sha256;
}

async function userFile(path: string, source: 'flag' | 'env'): Promise<ResolvedChainSpec> {
  if (!(await isFile(path))) {
    throw new UsageError(
      `chain spec ${path} (from ${source === 'flag' ? '--chain-spec' : 'PRETRAIN_CHAIN_SPEC'}) is not a file`,
      {
        hint: 'give the path of a raw subtensor chain spec JSON, or leave it out to use the pinned spec',
      },
    );
  }
  return { path: resolve(path), source };
}

/**
 * Find the subtensor chain spec: `--chain-spec`, then `PRETRAIN_CHAIN_SPEC`, then the
 * pinned spec shipped in this package, then the cache, and finally a download of the
 * pinned spec, verified by its sha256 and cached (only when the shipped copy is missing
 * or damaged).
 */
export async function resolveChainSpec(sources: ChainSpecSources = {}): Promise<ResolvedChainSpec> {
  if (sources.chainSpec) return userFile(sources.chainSpec, 'flag');
  if (sources.envChainSpec) return userFile(sources.envChainSpec, 'env');
  const bundled = sources.bundled ?? bundledChainSpecPath();
  if (bundled !== false && (await intactPinned(bundled))) return { path: bundled, source: 'bundled' };
  const cacheDir = sources.cacheDir ?? defaultChainSpecCacheDir();
  const cached = join(cacheDir, PINNED_CHAIN_SPEC.fileName);
  if (await intactPinned(cached)) return { path: cached, source: 'cache' };
  await downloadChainSpec(sources.downloadUrl ?? PINNED_CHAIN_SPEC.url, cached);
  return { path: cached, source: 'download' };
}

/** Download the pinned spec to `target`, refusing bytes whose sha256 differs. */
export async function downloadChainSpec(url: string, target: string): Promise<void> {
  const hint = `download ${PINNED_CHAIN_SPEC.url} yourself and pass it with --chain-spec (sha256 ${PINNED_CHAIN_SPEC.sha256})`;
  let bytes: Uint8Array;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw new UsageError(
      `cannot download the subtensor chain spec from ${url}: ${(cause as Error).message}`,
      { cause, hint },
    );
  }
  const digest = sha256(bytes);
  if (digest !== PINNED_CHAIN_SPEC.sha256) {
    throw new UsageError(
      `the chain spec downloaded from ${url} has sha256 ${digest}, expected ${PINNED_CHAIN_SPEC.sha256}`,
      {
        hint,
      },
    );
  }
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, target);
}
