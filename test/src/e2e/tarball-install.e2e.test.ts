import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a stranger gets from npm: every workspace packed, the tarballs a user needs installed
// into an empty project with npm (no workspace links, no repository beside it), then the CLI,
// the conformance suite and a vitest file of a third-party backend author run from there.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const workspaces = readJson<{ workspaces: string[] }>(join(ROOT, 'package.json')).workspaces;
/** What `pretrain conformance --backend onnx` and a backend author's vitest file need. */
const INSTALLED = ['cli', 'core', 'backend-sdk', 'subtensor', 'huggingface', 'backend-onnx', 'conformance'];
const VITEST_VERSION = readJson<{ version: string }>(join(ROOT, 'node_modules/vitest/package.json')).version;
/** The cases the vitest file runs (the CLI run above covers them all). */
const VITEST_CASES = ['golden-losses:gpt2-micro-random', 'golden-greedy:gpt2-micro-random', 'determinism'];

let scratch = '';
let project = '';
const tarballs = new Map<string, string>();

async function npm(args: string[], cwd: string) {
  return run('npm', args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, npm_config_fund: 'false' } });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'pretrain-tarballs-'));
  const packs = join(scratch, 'packs');
  await mkdir(packs);
  for (const dir of workspaces) {
    const { stdout } = await npm(
      ['pack', '--json', '--ignore-scripts', '--pack-destination', packs],
      join(ROOT, dir),
    );
    const { name, filename } = (JSON.parse(stdout) as { name: string; filename: string }[])[0]!;
    tarballs.set(name, join(packs, filename));
  }
  project = join(scratch, 'project');
  await mkdir(project);
  await writeFile(
    join(project, 'package.json'),
    // As a user installing offline does: onnxruntime-node's install script would fetch its
    // CUDA provider from the network; the CPU provider ships in its tarball.
    JSON.stringify({
      name: 'pretrain-tarball-check',
      private: true,
      type: 'module',
      allowScripts: { 'onnxruntime-node': false },
    }),
  );
  const wanted = INSTALLED.map((short) => tarballs.get(`@pretrain/${short}`)!);
  await npm(['install', '--no-audit', '--prefer-offline', ...wanted, `vitest@${VITEST_VERSION}`], project);
}, 900_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the packed packages, installed from their tarballs', () => {
  it('packs every workspace', async () => {
    expect([...tarballs.keys()].sort()).toEqual(
      workspaces.map((dir) => readJson<{ name: string }>(join(ROOT, dir, 'package.json')).name).sort(),
    );
    // Real files, not links into the repository.
    const installed = await readdir(join(project, 'node_modules/@pretrain'), { withFileTypes: true });
    expect(installed.filter((e) => e.isSymbolicLink()).map((e) => e.name)).toEqual([]);
  });

  it('npx pretrain --version prints the version first', async () => {
    const { stdout } = await run('npx', ['pretrain', '--version'], { cwd: project });
    const version = readJson<{ version: string }>(join(ROOT, 'packages/cli/package.json')).version;
    expect(stdout).toBe(`${version}\n`);
  });

  it('npx pretrain conformance --backend onnx passes on the fixtures the package ships', async () => {
    const { stdout } = await run('npx', ['pretrain', 'conformance', '--backend', 'onnx', '--json'], {
      cwd: project,
      maxBuffer: 16 << 20,
    });
    const { results } = JSON.parse(stdout) as { results: { id: string; status: string; detail?: string }[] };
    expect(results.length).toBeGreaterThan(30);
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(results.map((r) => r.id)).toContain('golden-losses:gpt2-micro-random');
  }, 900_000);

  it('a vitest file registers the suite with @pretrain/conformance/vitest', async () => {
    const test = `import plugin from '@pretrain/backend-onnx';
import { conformanceCaseIds } from '@pretrain/conformance';
import { describeBackendConformance } from '@pretrain/conformance/vitest';
const keep = ${JSON.stringify(VITEST_CASES)};
describeBackendConformance(plugin, {
  excludes: conformanceCaseIds()
    .filter((id) => !keep.includes(id))
    .map((test) => ({ test, reason: 'the CLI run covers it' })),
});
`;
    await writeFile(join(project, 'onnx.test.js'), test);
    const { stdout } = await run('npx', ['vitest', 'run', '--reporter', 'json'], {
      cwd: project,
      maxBuffer: 16 << 20,
    });
    const report = JSON.parse(stdout) as { numPassedTests: number; numFailedTests: number };
    expect(report).toMatchObject({ numPassedTests: VITEST_CASES.length, numFailedTests: 0 });
  }, 600_000);
});
