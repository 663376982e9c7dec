import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPretrainError, resolveModuleFrom } from '@pretrain/backend-sdk';
import tfjsPlugin from './index.js';
import { runtimeCandidates, selectRuntime } from './select-runtime.js';

const nodeInstalled =
  resolveModuleFrom('@tensorflow/tfjs-node', process.cwd()).found ||
  resolveModuleFrom('@tensorflow/tfjs-node-gpu', process.cwd()).found;

describe('runtimeCandidates', () => {
  it('tries the CUDA runtime first, skips it for device cpu, and takes only it for cuda', () => {
    expect(runtimeCandidates({ device: undefined, tfjsBackend: undefined })).toEqual([
      'tfjs-node-gpu',
      'tfjs-node',
      'wasm',
      'cpu',
    ]);
    expect(runtimeCandidates({ device: 'cpu', tfjsBackend: undefined })).toEqual([
      'tfjs-node',
      'wasm',
      'cpu',
    ]);
    expect(runtimeCandidates({ device: 'cuda', tfjsBackend: undefined })).toEqual(['tfjs-node-gpu']);
    expect(runtimeCandidates({ device: 'cpu', tfjsBackend: 'cpu' })).toEqual(['cpu']);
  });
});

describe.runIf(!nodeInstalled)('selectRuntime without tfjs-node', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tfjs-select-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('falls back to wasm and says why the native runtimes were passed over', async () => {
    const selection = await selectRuntime({ device: undefined, tfjsBackend: undefined, cwd: dir });
    expect(selection.runtime).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.attempts.map((a) => [a.runtime, a.ok])).toEqual([
      ['tfjs-node-gpu', false],
      ['tfjs-node', false],
      ['wasm', true],
    ]);
    expect(selection.attempts[1]?.detail).toMatch(
      /^@tensorflow\/tfjs-node not installed \(looked from .* and .*\)$/,
    );
    expect(selection.attempts[2]?.detail).toMatch(/SIMD, single thread/);
  });

  it('probe() and the capabilities name the runtime in use and the reasons', async () => {
    const probe = await tfjsPlugin.probe?.();
    expect(probe?.available).toBe(true);
    expect(probe?.detail).toMatch(
      /^tfjs 4\.\d+\.\d+ on wasm \(SIMD, single thread\); tfjs-node-gpu: @tensorflow\/tfjs-node-gpu not installed/,
    );
    const backend = await tfjsPlugin.createLossBackend({ device: 'cpu', cwd: dir });
    expect(backend.capabilities.runtime).toMatch(
      /on wasm .*; tfjs-node: @tensorflow\/tfjs-node not installed/,
    );
    expect(backend.capabilities.devices).toEqual(['cpu']);
    await backend.dispose();
  });

  it('a forced or CUDA runtime that is missing is an error with an install hint, never a fallback', async () => {
    for (const options of [{ device: 'cuda' }, { tfjsBackend: 'tfjs-node' }] as const) {
      const error = await tfjsPlugin.createLossBackend({ ...options, cwd: dir }).catch((e: unknown) => e);
      expect(isPretrainError(error) && error.code).toBe('PRETRAIN_DEVICE_UNAVAILABLE');
      expect((error as Error).message).toMatch(
        /no tfjs runtime could start: tfjs-node(-gpu)?: @tensorflow\/tfjs-node/,
      );
      expect(isPretrainError(error) && error.hint).toMatch(/npm install @tensorflow\/tfjs-node-gpu/);
    }
  });

  it('finds a tfjs-node installed beside the working directory and rejects one built on another tfjs-core', async () => {
    // A package that loads but registers no `tensorflow` backend with this tfjs-core.
    const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
    await mkdir(pkg, { recursive: true });
    await writeFile(
      join(pkg, 'package.json'),
      JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }),
    );
    await writeFile(join(pkg, 'index.js'), 'module.exports = {};\n');
    const error = await selectRuntime({ device: 'cpu', tfjsBackend: 'tfjs-node', cwd: dir }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      /loaded but registered with another copy of @tensorflow\/tfjs-core/,
    );
  });
});
