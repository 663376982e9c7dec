import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendNotFoundError, UsageError } from '@pretrain/core';
import { commands, defineCommand } from './commands/index.js';
import { runCli } from './testing/run-cli.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-main-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const failing = (error: unknown) =>
  defineCommand({
    command: 'explode',
    describe: 'throws',
    async run() {
      throw error;
    },
  });

describe('main', () => {
  it('lists every command and the config keys in --help', async () => {
    const run = await runCli(['--help'], { cwd });
    expect(run.code).toBe(0);
    for (const command of commands) expect(run.stdout).toContain(`pretrain ${command.command}`);
    expect(run.stdout).toContain('flags > PRETRAIN_* environment > pretrain.config.json');
    expect(run.stdout).toContain('--log-format');
    expect(run.stdout).toContain('PRETRAIN_LOG_FORMAT');
    expect(run.stdout).toContain('Exit codes');
    expect(run.stderr).toBe('');
  });

  it('prints the version alone, and with --verbose each @pretrain package', async () => {
    const version = (
      JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
    const run = await runCli(['--version'], { cwd });
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const verbose = await runCli(['--version', '--verbose'], { cwd });
    expect(verbose.code).toBe(0);
    const lines = verbose.stdout.split('\n');
    expect(lines[0]).toBe(version);
    expect(lines[1]).toMatch(/^package\s+version\s+location$/);
    expect(verbose.stdout).toMatch(/@pretrain\/cli\s+\d+\.\d+\.\d+/);
    expect(verbose.stdout).toMatch(/@pretrain\/core\s+\d+\.\d+\.\d+/);
    // The same under a command, where the full parser answers it.
    expect((await runCli(['config', '--version'], { cwd })).stdout).toBe(`${version}\n`);
  });

  it('turns a yargs usage error into one line with a hint and exit 2', async () => {
    const run = await runCli(['config', '--bogus'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: Unknown argument: bogus\nhint: `pretrain config --help` shows the usage\n',
    );
    expect(run.stdout).toBe('');
  });

  it('rejects an unknown command and a missing command with exit 2', async () => {
    const unknown = await runCli(['frobnicate'], { cwd });
    expect(unknown.code).toBe(2);
    const names = commands.map((c) => c.command.split(' ')[0]).join(', ');
    expect(unknown.stderr).toBe(
      `error: unknown command "frobnicate"\nhint: commands: ${names}; see \`pretrain --help\`\n`,
    );
    for (const name of ['backends', 'model', 'score', 'config']) expect(names.split(', ')).toContain(name);
    const none = await runCli([], { cwd });
    expect(none.code).toBe(0);
    expect(none.stdout).toBe((await runCli(['--help'], { cwd })).stdout);
    expect(none.stderr).toBe('');
  });

  it('prints a PretrainError as message + hint without a stack, exit 2', async () => {
    const error = new UsageError('file "x.json" is missing', { hint: 'pass an existing file' });
    const run = await runCli(['explode'], { cwd, commands: [failing(error)] });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: file "x.json" is missing\nhint: pass an existing file\n');
  });

  it('adds the stack trace only with --verbose', async () => {
    const error = new UsageError('bad', { hint: 'fix it' });
    const run = await runCli(['explode', '--verbose'], { cwd, commands: [failing(error)] });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: bad\nhint: fix it\n');
    expect(run.stderr).toContain('at ');
  });

  it('lists what a BackendNotFoundError tried', async () => {
    const error = new BackendNotFoundError(
      'no backend "foo"',
      [{ specifier: 'pretrain-backend-foo', reason: 'not installed' }],
      { hint: 'npm install pretrain-backend-foo' },
    );
    const run = await runCli(['explode'], { cwd, commands: [failing(error)] });
    expect(run.stderr).toBe(
      'error: no backend "foo"\n  tried pretrain-backend-foo: not installed\nhint: npm install pretrain-backend-foo\n',
    );
  });

  it('reports an unexpected error with exit 3, no stack and a request to report it', async () => {
    const run = await runCli(['explode'], { cwd, commands: [failing(new TypeError('x is undefined'))] });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^error: unexpected failure: x is undefined\nhint: this is a bug in pretrain: .*report it/,
    );
    expect(run.stderr).not.toContain('    at ');
  });

  it('reports a failure as one JSON log line under --log-format json, exit codes unchanged', async () => {
    const usage = new UsageError('file "x\n.json" is missing', { hint: 'pass an existing file' });
    const run = await runCli(['explode', '--log-format', 'json'], { cwd, commands: [failing(usage)] });
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      msg: 'file "x\n.json" is missing',
      code: usage.code,
      hint: 'pass an existing file',
    });
    const crash = await runCli(['explode', '--log-format', 'json', '--verbose'], {
      cwd,
      commands: [failing(new TypeError('x is undefined'))],
    });
    expect(crash.code).toBe(3);
    const parsed = crash.stderr
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const error = parsed.find((line) => line.level === 'error')!;
    expect(error).toMatchObject({ msg: 'unexpected failure: x is undefined', code: 'UNEXPECTED' });
    expect(error.stack).toMatch(/TypeError: x is undefined\n\s+at /);
  });

  it('reports a bad flag as a JSON log line too when --log-format json was asked for', async () => {
    for (const argv of [
      ['explode', '--bogus-flag', '--log-format', 'json'],
      ['explode', '--log-format=json', '--bogus-flag'],
    ]) {
      const run = await runCli(argv, { cwd, commands: [failing(new Error('not reached'))] });
      expect(run.code).toBe(2);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        level: 'error',
        msg: expect.stringMatching(/bogus-flag/),
      });
    }
    const env = await runCli(['explode', '--bogus-flag'], {
      cwd,
      env: { PRETRAIN_LOG_FORMAT: 'json' },
      commands: [failing(new Error('not reached'))],
    });
    expect(JSON.parse(env.stderr)).toMatchObject({ level: 'error', code: 'PRETRAIN_USAGE' });
  });

  it('reports a bad config file before running the command', async () => {
    const file = join(cwd, 'bad.json');
    await writeFile(file, JSON.stringify({ threads: 0 }));
    const run = await runCli(['config', '--config', file], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: key "threads" of ${file}: expected a positive integer, got 0\n` +
        'hint: fix or remove key "threads" of ' +
        `${file}; \`pretrain --help\` lists the settings\n`,
    );
  });

  it('applies flags over environment over pretrain.config.json over defaults', async () => {
    const dir = await mkdtemp(join(cwd, 'precedence-'));
    await writeFile(
      join(dir, 'pretrain.config.json'),
      JSON.stringify({ backend: 'from-file', netuid: 1, device: 'cuda', dataDir: 'data' }),
    );
    const run = await runCli(['config', '--json'], {
      cwd: dir,
      env: { PRETRAIN_BACKEND: 'from-env', PRETRAIN_NETUID: '2', PRETRAIN_LOG_FORMAT: 'json' },
    });
    expect(run.code).toBe(0);
    const flagged = await runCli(['backends', 'x', '--backend', './from-flag.js', '--json'], {
      cwd: dir,
      env: { PRETRAIN_BACKEND: 'from-env' },
    });
    const shown = JSON.parse(run.stdout) as { file: string; values: object; sources: object };
    expect(shown.file).toBe(join(dir, 'pretrain.config.json'));
    expect(shown.values).toMatchObject({
      backend: 'from-env',
      netuid: 2,
      device: 'cuda',
      logFormat: 'json',
      dataDir: join(dir, 'data'),
      verbose: false,
    });
    expect(shown.sources).toMatchObject({
      backend: 'env',
      netuid: 'env',
      device: 'file',
      dataDir: 'file',
      verbose: 'default',
    });
    // The flag wins: the backend checked is the flag's module, not the env's or the file's name.
    const names = (JSON.parse(flagged.stdout) as { name: string }[]).map((r) => r.name);
    expect(names).toContain('./from-flag.js');
    expect(names).not.toContain('from-env');
    expect(names).not.toContain('from-file');
  });

  it('shows the settings with their sources, secrets masked', async () => {
    const run = await runCli(['config', '--json', '--log-format', 'json'], {
      cwd,
      env: { PRETRAIN_HF_TOKEN: 'hf_secret', PRETRAIN_NETUID: '3' },
    });
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as {
      values: Record<string, unknown>;
      sources: Record<string, string>;
    };
    expect(shown.values).toMatchObject({ hfToken: '***', netuid: 3, logFormat: 'json', backend: 'onnx' });
    expect(shown.sources).toMatchObject({
      hfToken: 'env',
      netuid: 'env',
      logFormat: 'flag',
      backend: 'default',
    });
    expect(run.stdout).not.toContain('hf_secret');
  });
});
