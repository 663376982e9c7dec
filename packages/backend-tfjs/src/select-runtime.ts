import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { PretrainError, resolveModuleFrom } from '@pretrain/backend-sdk';
import { TFJS_RUNTIMES, type TfjsBackendOptions, type TfjsRuntimeName } from './options.js';

/** What happened when one runtime was tried. */
export interface RuntimeAttempt {
  readonly runtime: TfjsRuntimeName;
  readonly ok: boolean;
  /** Why it was not taken, or how it runs (e.g. `SIMD, single thread`). */
  readonly detail: string;
}

/** The runtime in use and the reasons the ones before it were passed over. */
export interface RuntimeSelection {
  readonly runtime: TfjsRuntimeName;
  /** The name tfjs-core knows it by (`tensorflow`, `wasm`, `cpu`). */
  readonly engineBackend: string;
  readonly attempts: readonly RuntimeAttempt[];
}

const PACKAGE_DIR = dirname(fileURLToPath(import.meta.url));

/** Runtimes to try for `options`, best first. */
export function runtimeCandidates(
  options: Pick<TfjsBackendOptions, 'device' | 'tfjsBackend'>,
): TfjsRuntimeName[] {
  if (options.tfjsBackend !== undefined) return [options.tfjsBackend];
  if (options.device === 'cuda') return ['tfjs-node-gpu'];
  if (options.device === 'cpu') return TFJS_RUNTIMES.filter((r) => r !== 'tfjs-node-gpu');
  return [...TFJS_RUNTIMES];
}

/**
 * Make the first runtime of {@link runtimeCandidates} that initialises tfjs-core's
 * active backend. tfjs-core has one engine per process, so this is process-wide.
 * @throws PretrainError `PRETRAIN_DEVICE_UNAVAILABLE` when none initialises, quoting why each failed.
 */
export async function selectRuntime(
  options: Pick<TfjsBackendOptions, 'device' | 'tfjsBackend' | 'cwd'>,
): Promise<RuntimeSelection> {
  // PROD silences tfjs's console banners ("install tfjs-node") and skips debug checks.
  tf.env().set('PROD', true);
  const attempts: RuntimeAttempt[] = [];
  for (const runtime of runtimeCandidates(options)) {
    try {
      const { engineBackend, detail } = await activate(runtime, options.cwd);
      attempts.push({ runtime, ok: true, detail });
      return { runtime, engineBackend, attempts };
    } catch (error) {
      attempts.push({ runtime, ok: false, detail: (error as Error).message.split('\n')[0] ?? '' });
    }
  }
  throw new PretrainError(
    'PRETRAIN_DEVICE_UNAVAILABLE',
    `no tfjs runtime could start: ${attempts.map((a) => `${a.runtime}: ${a.detail}`).join('; ')}`,
    {
      hint:
        options.device === 'cuda' || options.tfjsBackend?.startsWith('tfjs-node')
          ? 'npm install @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node beside pretrain, or drop --tfjs-backend/--device cuda'
          : 'drop the forced tfjs runtime to let the backend pick one',
    },
  );
}

/** Words for logs and `pretrain backends`: the runtime in use, then why earlier ones were not. */
export function describeSelection(selection: RuntimeSelection): string {
  const used = selection.attempts.find((a) => a.ok);
  const passed = selection.attempts.filter((a) => !a.ok).map((a) => `${a.runtime}: ${a.detail}`);
  return [`tfjs ${tf.version_core} on ${selection.runtime} (${used?.detail ?? ''})`, ...passed].join('; ');
}

async function activate(
  runtime: TfjsRuntimeName,
  cwd: string,
): Promise<{ engineBackend: string; detail: string }> {
  if (runtime === 'tfjs-node' || runtime === 'tfjs-node-gpu') {
    await importOptionalPeer(`@tensorflow/${runtime}`, cwd);
    if (tf.findBackend('tensorflow') === null) {
      throw new Error(
        `@tensorflow/${runtime} loaded but registered with another copy of @tensorflow/tfjs-core ` +
          `(install the ${tf.version_core} release so npm shares one copy)`,
      );
    }
    await setBackend('tensorflow');
    return { engineBackend: 'tensorflow', detail: `libtensorflow via @tensorflow/${runtime}` };
  }
  if (runtime === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    await setBackend('wasm');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    // tfjs turns wasm threads off under Node (its pthread build needs browser workers).
    return { engineBackend: 'wasm', detail: `${simd ? 'SIMD' : 'no SIMD'}, single thread` };
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await setBackend('cpu');
  return { engineBackend: 'cpu', detail: 'plain JavaScript kernels, slowest' };
}

async function setBackend(name: string): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend "${name}" failed to initialise`);
}

/** Import an optional peer from `cwd` first, then from this package's own location. */
async function importOptionalPeer(specifier: string, cwd: string): Promise<void> {
  const looked: string[] = [];
  const problems: string[] = [];
  for (const from of [cwd, PACKAGE_DIR]) {
    const found = resolveModuleFrom(specifier, from);
    if (found.found) {
      await import(pathToFileURL(found.file).href);
      return;
    }
    if (found.reason.startsWith('not installed')) looked.push(from);
    else problems.push(found.reason);
  }
  const where = looked.length > 0 ? ` (looked from ${looked.join(' and ')})` : '';
  throw new Error([`${specifier} not installed${where}`, ...problems].join('; '));
}
