import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOSS_BACKEND_API_VERSION } from '@pretrain/core';
import { runCli } from '../../testing/run-cli.js';

let cwd: string;

// A real plugin package: probe and createLossBackend as the contract has them.
const plugin = (name: string, probe: string, create: string) => `export default {
  meta: { name: '${name}', version: '0.3.0', apiVersion: ${LOSS_BACKEND_API_VERSION} },
  async probe() { ${probe} },
  async createLossBackend(options) { ${create} },
};
`;
const capabilities = `return {
  name: 'good',
  capabilities: { families: ['gpt2'], dtypes: ['F32'], devices: [options.device], runtime: 'pure js, ' + (options.threads ?? 'auto') + ' threads' },
  async load() { throw new Error('not used'); },
  async dispose() {},
};`;

async function install(name: string, source: string): Promise<void> {
  const dir = join(cwd, 'node_modules', name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', main: 'index.js' }));
  await writeFile(join(dir, 'index.js'), source);
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-backends-'));
  await install(
    'pretrain-backend-good',
    plugin('good', "return { available: true, detail: 'ready' };", capabilities),
  );
  await install(
    'pretrain-backend-nogpu',
    plugin('nogpu', "return { available: false, detail: 'no CUDA device' };", ''),
  );
  await install(
    'pretrain-backend-crashy',
    plugin('crashy', "return { available: true, detail: 'ok' };", "throw new Error('bad options');"),
  );
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('pretrain backends', () => {
  it('shows a usable plugin with its meta, probe and capabilities, and why the others are not usable', async () => {
    const run = await runCli(['backends', '--backend', 'good', '--threads', '3'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      [
        'good: usable',
        '  plugin    good 0.3.0 (backend API 1)',
        `  module    pretrain-backend-good (${join(cwd, 'node_modules/pretrain-backend-good/index.js')})`,
        '  probe     ready',
        '  families  gpt2',
        '  features  none beyond the base transformer',
        '  dtypes    F32',
        '  devices   cpu',
        '  runtime   pure js, 3 threads',
      ].join('\n'),
    );
    expect(run.stdout).toContain(
      [
        'tfjs: not usable',
        `  why       @pretrain/backend-tfjs: not installed (looked from ${cwd})`,
        '  fix       install it in this project: npm install @pretrain/backend-tfjs (known backends: onnx, tfjs, native)',
      ].join('\n'),
    );
  });

  it('reports probe refusals and creation failures, and exits 2 for a named backend that is not usable', async () => {
    const run = await runCli(['backends', 'nogpu', 'crashy', 'missing', '--json'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: backend "nogpu", "crashy", "missing" not usable here\n' +
        "hint: the report's reasons and hint say what to do\n",
    );
    const reports = JSON.parse(run.stdout) as { name: string; usable: boolean; reasons?: string[] }[];
    expect(reports.map((r) => r.name)).toEqual(['onnx', 'tfjs', 'native', 'nogpu', 'crashy', 'missing']);
    const byName = Object.fromEntries(reports.map((r) => [r.name, r]));
    expect(byName.nogpu).toMatchObject({ usable: false, reasons: ['probe: no CUDA device'] });
    expect(byName.crashy).toMatchObject({ usable: false, reasons: ['cannot create it: bad options'] });
    expect(byName.missing).toMatchObject({
      usable: false,
      reasons: [`pretrain-backend-missing: not installed (looked from ${cwd})`],
    });
  });

  it('takes the configured backend from the environment', async () => {
    const run = await runCli(['backends', '--json', '--device', 'cuda'], {
      cwd,
      env: { PRETRAIN_BACKEND: 'good' },
    });
    expect(run.code).toBe(0);
    const reports = JSON.parse(run.stdout) as { name: string; capabilities?: { devices: string[] } }[];
    expect(reports.find((r) => r.name === 'good')?.capabilities?.devices).toEqual(['cuda']);
  });

  it.each([
    [['backends', '--threads', 'abc'], {}, 'error: flag --threads: expected a positive integer, got "abc"'],
    [['backends', '--threads', '0'], {}, 'error: flag --threads: expected a positive integer, got "0"'],
    [['backends', '--device', 'gpu'], {}, 'error: Invalid values: Argument: device, Given: "gpu"'],
    [
      ['backends'],
      { PRETRAIN_DEVICE: 'tpu' },
      'error: PRETRAIN_DEVICE: expected one of cpu, cuda, got "tpu"',
    ],
    [['backends'], { PRETRAIN_BACKEND: ' ' }, 'error: PRETRAIN_BACKEND: expected a non-empty string'],
  ])('rejects %j (env %j) with one line, a hint and exit 2', async (argv, env, error) => {
    const run = await runCli(argv, { cwd, env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines[0]).toContain(error);
    expect(lines[1]).toMatch(/^hint: /);
    expect(lines.slice(2)).toEqual(['']);
  });
});
