import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackendPlugin } from '@pretrain/core';
import { runCli } from '../testing/run-cli.js';
import { backendOptionsFor, configuredBackendOptions, rawBackendOptions } from './backend-options.js';
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
  // A plain-object plugin of API 1 (no options schema): it still gets every option, unchecked.
  await writeFile(
    join(cwd, 'plain.js'),
    `export default { meta: { name: 'plain', version: '1.0.0', apiVersion: 1 },
  async createLossBackend(options) { return { name: 'plain', capabilities: { families: ['gpt2'], dtypes: ['F32'],
    devices: ['cpu'], runtime: JSON.stringify(options) }, async load() { throw new Error('unused'); }, async dispose() {} }; } };\n`,
  );
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

const load = async (flags: Record<string, unknown>, env: Record<string, string> = {}) =>
  (await loadConfig({ flags, env, cwd })).values;

describe('backendOptionsFor', () => {
  it('gives device, threads and the backend options, validated by the plugin schema', async () => {
    const tfjs = await loadBackendPlugin('tfjs', { cwd });
    const config = await load({ threads: '2', backendOption: ['runtime=wasm'] });
    expect(rawBackendOptions(config)).toEqual({ device: 'cpu', threads: 2, runtime: 'wasm' });
    expect(backendOptionsFor(config, tfjs)).toEqual({ device: 'cpu', threads: 2, runtime: 'wasm' });
    const onnx = await loadBackendPlugin('onnx', { cwd });
    expect(() => backendOptionsFor(config, onnx)).toThrow(/^backend onnx has no option "runtime"$/);
  });

  it('passes a plugin without a schema its options as given', async () => {
    const plain = await loadBackendPlugin('./plain.js', { cwd });
    const config = await load({ backendOption: ['speed=11'] });
    expect(backendOptionsFor(config, plain)).toEqual({ device: 'cpu', speed: '11' });
  });

  it('loads the configured plugin to check the options before any child process runs', async () => {
    const loaded = await loadConfig({
      flags: { backend: 'tfjs', backendOption: ['runtime=cpu'] },
      env: {},
      cwd,
    });
    expect(await configuredBackendOptions(loaded, cwd)).toEqual({ device: 'cpu', runtime: 'cpu' });
    const bad = await loadConfig({ flags: { backendOption: ['threads=0'] }, env: {}, cwd });
    await expect(configuredBackendOptions(bad, cwd)).rejects.toThrow(
      'backend option "threads" of backend onnx: expected integer 1..1024, got "0"',
    );
  });
});

describe('--backend-option', () => {
  it('runs `pretrain backends tfjs` on the runtime it names, the other backends created without it', async () => {
    // A global flag: before the command as well as after it.
    const run = await runCli(['--backend-option', 'runtime=cpu', 'backends', 'tfjs', '--json'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const reports = JSON.parse(run.stdout) as {
      name: string;
      usable: boolean;
      capabilities?: { runtime: string };
      options?: { name: string }[];
    }[];
    const tfjs = reports.find((r) => r.name === 'tfjs');
    expect(tfjs?.usable).toBe(true);
    expect(tfjs?.capabilities?.runtime).toMatch(/^tfjs [\d.]+ on cpu \(/);
    expect(tfjs?.options?.map((o) => o.name)).toEqual(['device', 'threads', 'runtime', 'tfjsBackend', 'cwd']);
    expect(reports.find((r) => r.name === 'onnx')?.usable).toBe(true);
  });

  it("prints a plugin's options in `pretrain backends <name>`", async () => {
    const run = await runCli(['backends', 'onnx'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      [
        '  option    device (cpu|cuda, default "cpu"): cpu, or cuda (needs onnxruntime-node with the CUDA EP)',
        '  option    threads (integer 1..1024): onnxruntime intra-op threads; unset: every core',
      ].join('\n'),
    );
    const plain = await runCli(['backends', './plain.js'], { cwd });
    expect(plain.stdout).toContain('  options   none declared (the plugin checks what it is given itself)');
  });

  it('is a one-line usage error quoting the key, what was expected and the option list', async () => {
    const run = await runCli(['conformance', '--backend', 'onnx', '--backend-option', 'runtime=cpu'], {
      cwd,
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: backend onnx has no option "runtime"\n' +
        'hint: backend onnx takes: device (cpu|cuda, default "cpu"), threads (integer 1..1024); ' +
        '`pretrain backends onnx` describes them\n',
    );
    const bad = await runCli(['backends', 'tfjs', '--backend-option', 'runtime=webgl'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain(
      '  why       cannot create it: backend option "runtime" of backend tfjs: ' +
        'expected tfjs-node-gpu|tfjs-node|wasm|cpu, got "webgl"\n',
    );
  });

  it('is accepted and documented by every command that creates a backend', async () => {
    for (const command of ['validate', 'eval', 'backends', 'conformance']) {
      const run = await runCli([command, '--help'], { cwd });
      expect(run.stdout, command).toMatch(/--backend-option\s+the backend's own option, key=value/);
    }
    expect((await runCli(['--help'], { cwd })).stdout).toMatch(
      /backendOptions\s+PRETRAIN_BACKEND_OPTIONS\s+the/,
    );
  });

  it('names the replacement of the retired --tfjs-backend settings', async () => {
    const run = await runCli(['backends'], { cwd, env: { PRETRAIN_TFJS_BACKEND: 'wasm' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: PRETRAIN_TFJS_BACKEND is no longer read\nhint: use .*--backend-option runtime=<name>/,
    );
  });
});
