import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conformanceCaseIds } from '@pretrain/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';

let cwd: string;
const onnx = fileURLToPath(new URL('../../../../backend-onnx/src/index.ts', import.meta.url));

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-conformance-'));
  await writeFile(join(cwd, 'onnx-plugin.ts'), `export { default } from ${JSON.stringify(onnx)};\n`);
  // The real ONNX backend with every loss off by 1%: the suite must catch it.
  await writeFile(
    join(cwd, 'skewed-plugin.ts'),
    `import onnx from ${JSON.stringify(onnx)};
export default {
  meta: { ...onnx.meta, name: 'skewed' },
  async createLossBackend(options) {
    const backend = await onnx.createLossBackend(options);
    return {
      ...backend,
      name: 'skewed',
      capabilities: backend.capabilities,
      dispose: () => backend.dispose(),
      async load(spec) {
        const model = await backend.load(spec);
        return { spec, greedy: model.greedy.bind(model), dispose: model.dispose.bind(model),
          losses: async (batches) => (await model.losses(batches)).map((l) => l * 1.01) };
      },
    };
  },
};
`,
  );
  // A backend that cannot run on this machine: creating it fails with a hint.
  await writeFile(
    join(cwd, 'unavailable-plugin.ts'),
    `import { PretrainError } from '@pretrain/core';
import onnx from ${JSON.stringify(onnx)};
export default {
  meta: { ...onnx.meta, name: 'unavailable' },
  async createLossBackend() {
    throw new PretrainError('PRETRAIN_DEVICE_UNAVAILABLE', 'device "cuda" requested, but there is none', {
      hint: 'use --device cpu',
    });
  },
};
`,
  );
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

/** Keep only `keep`: exclude every other case, each with a reason. */
function only(...keep: string[]): string[] {
  return conformanceCaseIds()
    .filter((id) => !keep.includes(id))
    .flatMap((id) => ['--exclude', `${id}=not part of this CLI test`]);
}

describe('pretrain conformance', () => {
  it('prints a pass table and exits 0 for a conforming backend', async () => {
    const keep = ['golden-losses:llama-mha-f16', 'unsupported-architecture'];
    const run = await runCli(['conformance', '--backend', './onnx-plugin.ts', ...only(...keep)], { cwd });
    expect(run.stderr).toMatch(/^ok {3}golden-losses:llama-mha-f16$/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^golden-losses:llama-mha-f16\s+passed\s+\d+/m);
    expect(run.stdout).toMatch(/^determinism\s+excluded\s+not part of this CLI test$/m);
    expect(run.stdout).toMatch(/onnx: 2 passed, 0 failed, \d+ excluded/);
  });

  it('reports a backend it cannot create once, with the hint, before running any case', async () => {
    const run = await runCli(['conformance', '--backend', './unavailable-plugin.ts'], { cwd });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/there is none/);
    expect(run.stderr).toMatch(/use --device cpu/);
    expect(run.stderr).not.toMatch(/FAIL/);
  });

  it('exits 1 and says why when a case fails', async () => {
    const run = await runCli(
      ['conformance', '--backend', './skewed-plugin.ts', '--json', ...only('golden-losses:gpt2-tied-f32')],
      { cwd },
    );
    expect(run.code).toBe(1);
    const { results } = JSON.parse(run.stdout) as {
      results: { id: string; status: string; detail?: string }[];
    };
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.id)).toEqual(['golden-losses:gpt2-tied-f32']);
    expect(failed[0]?.detail).toMatch(/gpt2-tied-f32 losses\[0\]: 14\.7\d+, expected 14\.599/);
  });

  it('rejects a malformed or unknown exclude with a one-line error', async () => {
    const bad = await runCli(['conformance', '--backend', './onnx-plugin.ts', '--exclude', 'determinism'], {
      cwd,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--exclude "determinism" is not "<case id>=<reason>"/);
    const unknown = await runCli(['conformance', '--backend', './onnx-plugin.ts', '--exclude', 'nope=x'], {
      cwd,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/conformance exclude "nope" names no case/);
  });

  it('lists the case ids', async () => {
    const run = await runCli(['conformance', '--list'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(conformanceCaseIds());
  });
});
