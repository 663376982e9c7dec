import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';

/** Run `pretrain <argv>` in-process with captured streams. */
async function pretrain(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

describe('pretrain validate (argument checks, before any connection)', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'pretrain-validate-cli-'));
    // A backend this machine cannot run (as native with --device cuda and no GPU).
    await writeFile(
      join(cwd, 'unavailable-plugin.ts'),
      `import { PretrainError } from '@pretrain/core';
export default {
  meta: { name: 'unavailable', version: '0.0.0', apiVersion: 1 },
  async createLossBackend() {
    throw new PretrainError('PRETRAIN_DEVICE_UNAVAILABLE', 'device "cuda" requested, but there is none', {
      hint: 'use --device cpu',
    });
  },
  async probe() {
    return { available: false, detail: 'no GPU' };
  },
};
`,
    );
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('documents every flag in --help', async () => {
    const { code, stdout } = await pretrain(['validate', '--help'], cwd);
    expect(code).toBe(0);
    for (const flag of [
      '--backend',
      '--network',
      '--netuid',
      '--wallet',
      '--hotkey',
      '--device',
      '--offline',
      '--dont-set-weights',
      '--pages-per-eval',
      '--sample-min',
      '--sample-max',
      '--blocks-per-epoch',
      '--model-dir',
      '--model-store',
      '--dataset',
      '--seed-from-chain',
      '--eval-timeout',
      '--load-timeout',
      '--chain-update-cadence',
      '--top-miner-interval',
      '--top-miner-resync',
      '--step-timeout',
      '--metagraph-timeout',
      '--weights-poll',
      '--idle-wait',
      '--clean-interval',
      '--clean-first-delay',
      '--clean-grace',
      '--metrics-port',
      '--metrics-host',
      '--log-format',
      '--wandb-project',
      '--wandb-entity',
      '--max-steps',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it.each([
    [['--dataset', 'c4'], /cannot load dataset "c4"[^]*npm install pretrain-dataset-c4/],
    [['--dataset', 'local'], /the local text dataset needs a file or directory/],
    [['--model-store', 's3://x'], /cannot load store "s3"[^]*npm install pretrain-store-s3/],
    [['--model-store', 'hf:ftp://x'], /hf "ftp:\/\/x" is not an http\(s\) URL of a hub/],
    [['--sample-min', '8', '--sample-max', '4'], /--sample-max 4 is below --sample-min 8/],
    [['--pages-per-eval', '0'], /--pages-per-eval 0 must be a positive integer/],
    [['--max-steps', '-1'], /--max-steps -1 must be a positive integer/],
    [['--clean-interval', '0'], /--clean-interval 0 must be a positive number of seconds/],
    [['--clean-grace', '-5'], /--clean-grace -5 must be a positive number of seconds/],
    [['--chain-update-cadence', '20m'], /--chain-update-cadence needs a number, got "20m"/],
    [['--clean-first-delay'], /Not enough arguments following: clean-first-delay/],
    [['--backend', './no-such-plugin.js'], /cannot load backend/],
  ])('refuses %j with exit 2 and a hint', async (flags, message) => {
    const { code, stderr } = await pretrain(['validate', '--offline', ...flags], cwd);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/hint: /);
  });

  it.each([
    [['--wandb-project', 'sn9'], {}, /--wandb-project needs a W&B API key in WANDB_API_KEY/],
    [['--wandb-entity', 'me'], { WANDB_API_KEY: 'k' }, /--wandb-entity needs --wandb-project/],
    [['--wandb-project', 'a/b'], { WANDB_API_KEY: 'k' }, /--wandb-project "a\/b" is not a W&B name/],
    [['--wandb-project', 'sn9', '--wandb-entity', ''], { WANDB_API_KEY: 'k' }, /--wandb-entity "" is not/],
    [['--wandb-project', 'sn9'], { WANDB_API_KEY: 'secret key\u00e9' }, /WANDB_API_KEY holds characters/],
    [
      ['--wandb-project', 'sn9'],
      { WANDB_API_KEY: 'k', WANDB_BASE_URL: 'https://user:hunter2@wandb.example' },
      /WANDB_BASE_URL is not an http\(s\) URL of a W&B server/,
    ],
    [['--wandb-project', 'sn9'], { WANDB_API_KEY: 'k', WANDB_BASE_URL: 'ftp://x' }, /WANDB_BASE_URL is not/],
  ])('refuses W&B flags %j (env %j) with exit 2, a hint and no secret', async (flags, env, message) => {
    const { code, stderr } = await pretrain(['validate', '--offline', ...flags], cwd, env);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/hint: /);
    expect(stderr).not.toMatch(/secret key|hunter2/);
  });

  it('creates the backend once before connecting: one it cannot run fails at start with its hint', async () => {
    const { code, stderr } = await pretrain(
      ['validate', '--offline', '--backend', './unavailable-plugin.ts'],
      cwd,
    );
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/device "cuda" requested, but there is none/);
    expect(stderr).toMatch(/hint: use --device cpu/);
  });
});
