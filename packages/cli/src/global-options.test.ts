import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from './commands/index.js';
import { COMMAND_SUMMARIES } from './commands/summaries.js';
import { rootHelp } from './quick-path.js';
import { runCommandLine } from './run-command-line.js';
import { runCli } from './testing/run-cli.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-global-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('the quick --help', () => {
  it('summarises exactly the real commands', () => {
    expect(COMMAND_SUMMARIES).toEqual(commands.map((c) => ({ command: c.command, describe: c.describe })));
  });

  it('prints what the full parser prints', async () => {
    let full = '';
    const io = {
      stdout: { write: (chunk: string) => (full += chunk) },
      stderr: { write: () => true },
      env: {},
      cwd,
      columns: 100,
    };
    expect(await runCommandLine(['--help'], io)).toBe(0);
    expect(`${await rootHelp(io)}\n`).toBe(full);
  });

  it('shows the validator’s short form', async () => {
    const help = (await runCli(['--help'], { cwd })).stdout;
    expect(help).toContain('pretrain [options]');
    expect(help).toContain('pretrain --backend onnx');
  });
});

describe('--backend and --device are global (issue 20)', () => {
  it('are taken before the command as after it', async () => {
    const before = await runCli(['--backend', 'tfjs', '--device', 'cuda', 'config', '--json'], { cwd });
    const after = await runCli(['config', '--json', '--backend', 'tfjs', '--device', 'cuda'], { cwd });
    expect(before.code).toBe(0);
    expect(before).toEqual(after);
    const { values, sources } = JSON.parse(before.stdout);
    expect(values).toMatchObject({ backend: 'tfjs', device: 'cuda' });
    expect(sources).toMatchObject({ backend: 'flag', device: 'flag' });
  });

  it('beat PRETRAIN_BACKEND as flags do', async () => {
    const env = { PRETRAIN_BACKEND: 'native' };
    const run = await runCli(['--backend', 'tfjs', 'config', '--json'], { cwd, env });
    expect(JSON.parse(run.stdout).values.backend).toBe('tfjs');
  });

  it('refuse a device that does not exist, wherever it is given', async () => {
    for (const argv of [
      ['--device', 'tpu', 'config'],
      ['config', '--device', 'tpu'],
    ]) {
      const run = await runCli(argv, { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^error: Invalid values:/);
    }
  });
});

describe('pretrain [options] is the validator (issue 20)', () => {
  it('runs exactly as `pretrain validate` with the same options', async () => {
    // A backend that cannot be found stops the validator at once, before any chain or wallet.
    const options = ['--backend', 'pretrain-backend-none-such', '--offline', '--network', 'ws://127.0.0.1:1'];
    const short = await runCli(options, { cwd });
    const long = await runCli(['validate', ...options], { cwd });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^error: cannot load backend "pretrain-backend-none-such"/);
    expect(short).toEqual(long);
  });

  it('prints the help when given nothing at all', async () => {
    const run = await runCli([], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Commands:');
    expect(run.stderr).toBe('');
  });
});
