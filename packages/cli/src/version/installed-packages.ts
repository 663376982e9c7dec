import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The packages of this project that `pretrain --version` looks for. */
export const PRETRAIN_PACKAGES = [
  '@pretrain/cli',
  '@pretrain/core',
  '@pretrain/backend-sdk',
  '@pretrain/subtensor',
  '@pretrain/devnet',
  '@pretrain/huggingface',
  '@pretrain/backend-onnx',
  '@pretrain/backend-tfjs',
  '@pretrain/backend-native',
  '@pretrain/conformance',
] as const;

/** One package as found from one place, or not found. */
export interface InstalledPackage {
  /** Package name, e.g. `@pretrain/core`. */
  readonly name: string;
  /** Undefined when it resolves from neither place. */
  readonly version: string | undefined;
  /** Its directory (symlinks resolved). */
  readonly dir: string | undefined;
}

/**
 * Find each package from the working directory and from the CLI's own location (a
 * global CLI may sit beside a project's local plugins), reading only its package.json.
 * A package found at two different places is listed twice.
 */
export function findInstalledPackages(cwd: string, cliUrl: string = import.meta.url): InstalledPackage[] {
  const requirers = [createRequire(join(cwd, 'noop.js')), createRequire(cliUrl)];
  const found: InstalledPackage[] = [];
  for (const name of PRETRAIN_PACKAGES) {
    const dirs = new Set<string>();
    for (const require of requirers) {
      try {
        dirs.add(dirname(realpathSync(require.resolve(`${name}/package.json`))));
      } catch {
        // not resolvable from this place: try the next one
      }
    }
    if (dirs.size === 0) found.push({ name, version: undefined, dir: undefined });
    for (const dir of dirs) {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
      found.push({ name, version: manifest.version ?? '(no version)', dir });
    }
  }
  return found;
}
