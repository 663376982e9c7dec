import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '@pretrain/core';
import { runCli } from '../testing/run-cli.js';
import { backendOptionsFor, configuredBackendOptions } from './backend-options.js';
import { TFJS_RUNTIME_NAMES } from './config-schema.js';
import { loadConfig } from './load-config.js';

const source = (pkg: string) => fileURLToPath(new URL(`../../../${pkg}/src/index.ts`, import.meta.url));
let cwd: string;

/** Install the real plugin `pkg` in `cwd`, as `npm install` would, pointing at its sources. */
async function install(pkg: string): Promise<void> {
  const dir = join(cwd, 'node_modules', '@pretrain', pkg);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `@pretrain/${pkg}`, main: 'index.ts' }));
  await writeFile(join(dir, 'index.ts'), `export { default } from ${JSON.stringify(source(pkg))};\n`);
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-backend-options-'));
  await install('backend-tfjs');
  await install('backend-onnx');
  // The tfjs plugin reached through a module path: recognised by its meta.name, not its spelling.
  await writeFile(join(cwd, 'my-tfjs.ts'), `export { default } from '@pretrain/backend-tfjs';\n`);
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

const load = (flags: Record<string, unknown>, env: Record<string, string> = {}) =>
  loadConfig({ flags, env, cwd });

describe('backendOptionsFor', () => {
  it('gives device and threads to every plugin, and tfjsBackend only to tfjs', async () => {
    const loaded = await load({ threads: '2' });
    expect(backendOptionsFor(loaded, { name: 'onnx' })).toEqual({ device: 'cpu', threads: 2 });
    const forced = await load({ tfjsBackend: 'wasm', threads: '2' });
    expect(backendOptionsFor(forced, { name: 'tfjs' })).toEqual({
      device: 'cpu',
      threads: 2,
      tfjsBackend: 'wasm',
    });
    expect(backendOptionsFor(forced, { name: 'onnx' }, { strict: false })).toEqual({
      device: 'cpu',
      threads: 2,
    });
  });

  it('lets a forced runtime bring its device unless --device is given', async () => {
    const gpu = await load({ tfjsBackend: 'tfjs-node-gpu' });
    expect(backendOptionsFor(gpu, { name: 'tfjs' })).toEqual({
      device: 'cuda',
      tfjsBackend: 'tfjs-node-gpu',
    });
    const explicit = await load({ tfjsBackend: 'tfjs-node-gpu', device: 'cpu' });
    expect(backendOptionsFor(explicit, { name: 'tfjs' }).device).toBe('cpu');
  });

  it('rejects tfjsBackend for another backend, naming where it was set', async () => {
    const flag = await load({ tfjsBackend: 'cpu', backend: './x.js' });
    expect(() => backendOptionsFor(flag, { name: 'native' })).toThrow(
      /^--tfjs-backend "cpu" applies only to the tfjs backend, not to backend "\.\/x\.js" \(plugin "native"\)$/,
    );
    const env = await load({}, { PRETRAIN_TFJS_BACKEND: 'wasm' });
    const error = (() => {
      try {
        return backendOptionsFor(env, { name: 'onnx' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      'PRETRAIN_TFJS_BACKEND "wasm" applies only to the tfjs backend, not to backend "onnx"',
    );
    expect((error as UsageError).hint).toBe('use --backend tfjs with it, or remove PRETRAIN_TFJS_BACKEND');
  });

  it('loads the configured plugin only when tfjsBackend needs its identity', async () => {
    // An unloadable backend is never touched without tfjsBackend.
    expect(await configuredBackendOptions(await load({ backend: 'absent' }), cwd)).toEqual({ device: 'cpu' });
    const viaPath = await load({ backend: './my-tfjs.ts', tfjsBackend: 'cpu' });
    expect(await configuredBackendOptions(viaPath, cwd)).toEqual({ device: 'cpu', tfjsBackend: 'cpu' });
    await expect(configuredBackendOptions(await load({ tfjsBackend: 'cpu' }), cwd)).rejects.toThrow(
      /applies only to the tfjs backend, not to backend "onnx"/,
    );
  });

  it('offers the runtimes backend-tfjs accepts, in its order', async () => {
    const url = new URL('../../../backend-tfjs/src/options.ts', import.meta.url).href;
    const { TFJS_RUNTIMES } = (await import(url)) as { TFJS_RUNTIMES: readonly string[] };
    expect(TFJS_RUNTIME_NAMES).toEqual(TFJS_RUNTIMES);
  });
});

describe('--tfjs-backend', () => {
  it('runs `pretrain backends tfjs` on the forced runtime', async () => {
    const run = await runCli(['backends', 'tfjs', '--tfjs-backend', 'cpu', '--json'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const reports = JSON.parse(run.stdout) as {
      name: string;
      usable: boolean;
      capabilities?: { runtime: string };
    }[];
    const tfjs = reports.find((r) => r.name === 'tfjs');
    expect(tfjs?.usable).toBe(true);
    expect(tfjs?.capabilities?.runtime).toMatch(/^tfjs [\d.]+ on cpu \(/);
    // onnx is listed too, created without the option it would reject.
    expect(reports.find((r) => r.name === 'onnx')?.usable).toBe(true);
  });

  it('is a one-line usage error with another backend', async () => {
    const run = await runCli(['conformance', '--backend', 'onnx', '--tfjs-backend', 'cpu'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: --tfjs-backend "cpu" applies only to the tfjs backend, not to backend "onnx"\n' +
        'hint: use --backend tfjs with it, or remove --tfjs-backend\n',
    );
  });

  it.each([
    [['backends', '--tfjs-backend', 'webgl'], {}, /Invalid values:.*tfjs-backend.*"webgl"/],
    [
      ['backends'],
      { PRETRAIN_TFJS_BACKEND: 'gpu' },
      /^error: PRETRAIN_TFJS_BACKEND: expected one of .*, got "gpu"$/m,
    ],
  ])('rejects a bad value: %j %j', async (argv, env, message) => {
    const run = await runCli(argv, { cwd, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^error: .*\nhint: .*\n$/);
  });

  it('is accepted and documented by every command that creates a backend', async () => {
    for (const command of ['validate', 'eval', 'backends', 'conformance']) {
      const run = await runCli([command, '--help'], { cwd });
      expect(run.stdout, command).toMatch(/--tfjs-backend\s+force the runtime of the tfjs backend/);
    }
    expect((await runCli(['--help'], { cwd })).stdout).toMatch(/tfjsBackend\s+PRETRAIN_TFJS_BACKEND\s+force/);
  });
});
