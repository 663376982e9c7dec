import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { conformanceCaseIds } from '@pretrain/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBackendPackage } from './write-backend.js';

// What `npm init @pretrain/backend <dir>` gives a backend author: the package is written,
// compiled with tsc against the SDK alone, and run through the real `pretrain conformance`.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PRETRAIN = join(ROOT, 'packages/cli/bin/pretrain.js');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
let scratch = '';
let dir = '';

/** `pretrain conformance --backend <backend> --json` from `scratch`: exit code and results. */
async function conformance(backend: string, args: string[] = []) {
  const outcome = await run(process.execPath, [PRETRAIN, 'conformance', '--backend', backend, ...args], {
    cwd: scratch,
    maxBuffer: 16 << 20,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  const { results } = JSON.parse(outcome.stdout) as {
    results: { id: string; status: string; detail?: string }[];
  };
  return { code: outcome.code, results };
}

beforeAll(async () => {
  // The CLI and the SDK run from their builds, as installed; build them when missing.
  if (!existsSync(join(ROOT, 'packages/cli/dist/main.js'))) {
    await run(process.execPath, [TSC, '-b', 'packages/cli'], { cwd: ROOT });
  }
  scratch = await mkdtemp(join(tmpdir(), 'pretrain-create-backend-'));
  dir = join(scratch, 'pretrain-backend-mine');
  await writeBackendPackage(dir);
  // What `npm install` would link: the SDK and Node's types (nothing of @pretrain/core).
  await mkdir(join(dir, 'node_modules/@pretrain'), { recursive: true });
  await mkdir(join(dir, 'node_modules/@types'), { recursive: true });
  await symlink(join(ROOT, 'packages/backend-sdk'), join(dir, 'node_modules/@pretrain/backend-sdk'));
  await symlink(join(ROOT, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'));
  await run(process.execPath, [TSC, '-p', dir]);
}, 180_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('npm init @pretrain/backend', () => {
  it('writes a TypeScript package that depends on the backend SDK only', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | string
    >;
    expect(manifest['name']).toBe('pretrain-backend-mine');
    expect(manifest['dependencies']).toBeUndefined();
    expect(Object.keys(manifest['peerDependencies'] as object)).toEqual(['@pretrain/backend-sdk']);
    for (const file of ['src/index.ts', 'src/reference-backend.ts', 'src/reference-gpt2.ts']) {
      const source = await readFile(join(dir, file), 'utf8');
      const imported = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imported.filter((s) => !s?.startsWith('./'))).toEqual(['@pretrain/backend-sdk']);
    }
    expect(await readFile(join(dir, 'src/conformance.test.ts'), 'utf8')).toContain(
      `from '@pretrain/conformance/vitest'`,
    );
    expect(existsSync(join(dir, 'README.md')) && existsSync(join(dir, '.gitignore'))).toBe(true);
  });

  it('refuses a directory that is not empty, and a bad name', async () => {
    await expect(writeBackendPackage(dir)).rejects.toThrow(/is not empty/);
    await expect(writeBackendPackage(join(scratch, 'x'), { name: 'Bad Name' })).rejects.toThrow(
      /lowercase letters, digits or dashes/,
    );
  });

  it('passes pretrain conformance --backend <its dir> for the GPT-2 family out of the box', async () => {
    const { code, results } = await conformance(dir, ['--json']);
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(code).toBe(0);
    const passed = results.filter((r) => r.status === 'passed').map((r) => r.id);
    expect(passed).toEqual(
      expect.arrayContaining(['golden-losses:gpt2-tied-f32', 'golden-greedy:gpt2-tied-f32']),
    );
    expect(passed).toEqual(
      expect.arrayContaining(['determinism', 'non-finite-weights', 'batch-independence']),
    );
    // Other families are listed with the reason, not failed.
    expect(results.find((r) => r.id === 'golden-losses:llama-gqa-f32-sharded')?.detail).toMatch(
      /cannot run family "llama"/,
    );
  }, 300_000);

  it('its own vitest file registers the suite with @pretrain/conformance/vitest', async () => {
    // What `npm install` would link for `npm test`: the suite and vitest.
    await symlink(join(ROOT, 'test'), join(dir, 'node_modules/@pretrain/conformance'));
    await symlink(join(ROOT, 'node_modules/vitest'), join(dir, 'node_modules/vitest'));
    const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
    // Two cases are enough to show the wiring; the CLI run above covers the rest.
    const { stdout } = await run(
      process.execPath,
      [vitest, 'run', '--reporter', 'json', '-t', 'golden-(losses|greedy):gpt2-tied-f32'],
      { cwd: dir, maxBuffer: 16 << 20 },
    );
    const report = JSON.parse(stdout) as { numPassedTests: number; numFailedTests: number };
    expect(report).toMatchObject({ numPassedTests: 2, numFailedTests: 0 });
  }, 300_000);

  it('a deliberately wrong copy fails with the values that differ', async () => {
    const broken = join(scratch, 'pretrain-backend-broken');
    await cp(dir, broken, { recursive: true, verbatimSymlinks: true });
    const file = join(broken, 'dist/reference-gpt2.js');
    const source = await readFile(file, 'utf8');
    const wrong = source.replace('sum += Math.log(total)', 'sum += 1.001 * Math.log(total)');
    expect(wrong).not.toBe(source);
    await writeFile(file, wrong);
    const keep = ['golden-losses:gpt2-tied-f32'];
    const excludes = conformanceCaseIds()
      .filter((id) => !keep.includes(id))
      .flatMap((id) => ['--exclude', `${id}=only the broken loss matters here`]);
    const { code, results } = await conformance(broken, ['--json', ...excludes]);
    expect(code).toBe(1);
    const [failed] = results.filter((r) => r.status === 'failed');
    expect(failed?.id).toBe('golden-losses:gpt2-tied-f32');
    expect(failed?.detail).toMatch(
      /gpt2-tied-f32 losses\[0\]: [\d.]+, expected [\d.]+ \(relative tolerance 0\.00001\)/,
    );
  }, 300_000);
});
