import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real binary, as `npx pretrain` runs it: the launcher, the built dist/ and exit codes.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/pretrain.js');
let cwd: string;

function pretrain(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'packages/cli/dist/main.js'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  }
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-bin-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('bin/pretrain.js', () => {
  it('prints the help with every command and exits 0', () => {
    const run = pretrain(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['backends', 'model', 'score', 'config'])
      expect(run.stdout).toContain(`pretrain ${command}`);
  });

  it('exits 2 with a one-line error and hint for bad input', () => {
    const run = pretrain(['score', 'absent.json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `error: cannot read step file ${join(cwd, 'absent.json')}: ENOENT\nhint: pass the path of a step JSON file\n`,
    );
  });

  it('keeps stdout to the result and reads settings from the environment', async () => {
    await writeFile(
      join(cwd, 'step.json'),
      JSON.stringify({ uids: [1, 2], blocks: [1, 2], losses: [[1], [2]] }),
    );
    const run = pretrain(['score', 'step.json', '--json'], {
      PRETRAIN_LOG_FORMAT: 'json',
      PRETRAIN_VERBOSE: '1',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ wins: [1, 0], winRates: [1, 0] });
    expect(JSON.parse(run.stderr.split('\n')[0]!)).toMatchObject({ level: 'debug', msg: 'config loaded' });
  });

  it('is linked as node_modules/.bin/pretrain, which `npx pretrain` runs', () => {
    const link = join(ROOT, 'node_modules/.bin/pretrain');
    const run = spawnSync(link, ['--version', '--verbose'], { cwd, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n/);
    expect(run.stdout).toMatch(/@pretrain\/cli\s+\d+\.\d+\.\d+/);
  });
});
