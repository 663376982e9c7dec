import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES_DIR } from '@pretrain/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';

const MODELS = join(FIXTURES_DIR, 'models');
const BATCHES = join(FIXTURES_DIR, 'train-batches.json');
const goldens = JSON.parse(readFileSync(join(FIXTURES_DIR, 'train-goldens.json'), 'utf8')) as {
  models: Record<string, { train_losses: number[] }>;
};
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-train-'));
  // The real backends, reached through plugin paths as a user would give them.
  for (const name of ['tfjs', 'onnx']) {
    const path = fileURLToPath(new URL(`../../../../backend-${name}/src/index.ts`, import.meta.url));
    await writeFile(join(cwd, `${name}-plugin.ts`), `export { default } from ${JSON.stringify(path)};\n`);
  }
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

interface TrainJson {
  readonly steps: { step: number; loss: number; lr: number; tokens: number; seconds: number }[];
  readonly best: { loss: number; step: number } | null;
  readonly out: string;
}

/** `pretrain train` with the goldens' settings; a flag given in `flags` replaces the default. */
const train = (...flags: string[]) => {
  const defaults: [string, string][] = [
    ['--backend', './tfjs-plugin.ts'],
    ['--tokens', BATCHES],
    ['--lr', '1e-3'],
    ['--grad-accum', '1'],
  ];
  const base = defaults.filter(([flag]) => !flags.includes(flag)).flat();
  return runCli(['train', ...base, ...flags], { cwd });
};

describe('pretrain train', () => {
  it('runs the oracle AdamW steps, prints the JSON shape and writes the model, log and curve', async () => {
    const out = join(cwd, 'gpt2');
    const run = await train('--model', join(MODELS, 'gpt2-tied-f32'), '--steps', '3', '--out', out, '--json');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as TrainJson;
    expect(Object.keys(json)).toEqual(['steps', 'best', 'out']);
    expect(json.steps.map((s) => Object.keys(s))).toEqual(
      json.steps.map(() => ['step', 'loss', 'lr', 'tokens', 'seconds']),
    );
    const golden = goldens.models['gpt2-tied-f32']?.train_losses ?? [];
    json.steps.forEach((s, i) => {
      expect(s.step).toBe(i + 1);
      expect(Math.abs(s.loss - (golden[i] as number)) / (golden[i] as number)).toBeLessThan(1e-4);
      expect(s.lr).toBe(1e-3);
    });
    expect(json.steps.map((s) => s.tokens)).toEqual([32, 48, 32]);
    expect(json.best?.step).toBe(3);
    const csv = (await readFile(join(out, 'training-log.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('step,loss,lr,tokens,seconds');
    expect(csv).toHaveLength(4);
    expect(await readFile(join(out, 'training-curve.svg'), 'utf8')).toContain('<polyline');
    expect((await stat(join(out, 'model.safetensors'))).isFile()).toBe(true);
    // The saved model evaluates, with another backend, to a lower loss on batch 0 than the first step's.
    const evaluation = await runCli(
      [
        'eval',
        '--backend',
        './onnx-plugin.ts',
        '--model',
        out,
        '--tokens',
        BATCHES,
        '--no-sanity-check',
        '--json',
      ],
      { cwd },
    );
    const losses =
      (JSON.parse(evaluation.stdout) as { models: { losses: number[] }[] }).models[0]?.losses ?? [];
    expect(losses[0]).toBeLessThan(golden[0] as number);
  });

  it('resumes from a checkpoint with the losses of an uninterrupted run', async () => {
    const model = join(MODELS, 'llama-gqa-f32-sharded');
    const straight = await train('--model', model, '--steps', '4', '--out', join(cwd, 'straight'), '--json');
    const cut = join(cwd, 'cut');
    const first = await train('--model', model, '--steps', '2', '--out', cut, '--json');
    // Checkpoints during the resumed run replace the one it started from.
    const second = await train('--resume', '--steps', '4', '--out', cut, '--json', '--checkpoint-every', '1');
    expect([first.code, second.code, straight.code]).toEqual([0, 0, 0]);
    const losses = (run: { stdout: string }) =>
      (JSON.parse(run.stdout) as TrainJson).steps.map((s) => s.loss);
    expect(losses(second)).toEqual(losses(straight));
    expect(losses(first)).toEqual(losses(straight).slice(0, 2));
  });

  it('trains a model initialised from a config.json', async () => {
    const config = JSON.parse(await readFile(join(MODELS, 'llama-gqa-f32-sharded', 'config.json'), 'utf8'));
    await writeFile(join(cwd, 'init-config.json'), JSON.stringify(config));
    const run = await train(
      '--init',
      'init-config.json',
      '--steps',
      '2',
      '--out',
      join(cwd, 'init'),
      '--json',
    );
    expect(run.code).toBe(0);
    const steps = (JSON.parse(run.stdout) as TrainJson).steps;
    // normal(0, 0.02) weights give nearly uniform predictions: the loss starts near ln(vocab).
    expect(Math.abs((steps[0]?.loss as number) - Math.log(512))).toBeLessThan(0.05);
  });

  it.each([
    [['--lr', '0'], /--lr 0 must be a number > 0/],
    [['--lr', '-1'], /--lr -1 must be a number > 0/],
    [['--out', '/proc/version/x'], /is not a writable directory/],
    [['--backend', './onnx-plugin.ts'], /backend onnx cannot train/],
    [['--push-below', '5'], /--push-below needs --repo/],
    [['--push-below', '0', '--repo', 'me/model'], /--push-below 0 must be a loss > 0/],
    [['--push-below', '5', '--repo', 'me/model'], /needs an access token/],
    // A repo `pretrain push` would refuse is refused before training, not after it.
    [['--push-below', '5', '--repo', 'a/b'], /repo id 'a\/b' has 3 characters/],
    [['--push-below', '5', '--repo', 'me/my:model'], /contains ':'/],
    [['--push-below', '5', '--repo', 'no-slash'], /must contain exactly one '\/'/],
  ])('refuses %j with one line and exit 2', async (flags, message) => {
    const out = flags.includes('--out') ? [] : ['--out', join(cwd, 'bad')];
    const run = await train('--model', join(MODELS, 'gpt2-tied-f32'), '--steps', '1', ...out, ...flags);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('refuses token ids outside the vocabulary before training', async () => {
    await writeFile(join(cwd, 'big-ids.json'), JSON.stringify([[[1, 2, 512]]]));
    const run = await runCli(
      [
        'train',
        '--backend',
        './tfjs-plugin.ts',
        '--model',
        join(MODELS, 'gpt2-tied-f32'),
        '--tokens',
        'big-ids.json',
      ].concat(['--out', join(cwd, 'ids')]),
      { cwd },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/token id 512 .* vocabulary size 512/);
  });
});

describe('pretrain train --dataset', () => {
  it('samples pages of local text per epoch, keeps the best epoch and logs JSON lines', async () => {
    const out = join(cwd, 'local');
    // Forty paragraphs of the book: the pages sampled per epoch are a few of them.
    const book = await readFile(join(FIXTURES_DIR, 'text', 'war-and-peace.txt'), 'utf8');
    const paragraphs = book
      .slice(100_000)
      .split(/\n\s*\n/)
      .filter((p) => p.trim().length > 200);
    const corpus = join(cwd, 'corpus.txt');
    await writeFile(corpus, paragraphs.slice(0, 40).join('\n\n'));
    const run = await runCli(
      ['train', '--backend', './tfjs-plugin.ts', '--model', join(MODELS, 'gpt2-tiny-random')].concat(
        [
          '--dataset',
          `local:${corpus}`,
          '--tokenizer',
          'distilgpt2',
          '--seq-len',
          '32',
          '--pages-per-epoch',
          '2',
        ],
        ['--grad-accum', '2', '--steps', '3', '--lr', '1e-3', '--out', out, '--json', '--log-format', 'json'],
      ),
      { cwd },
    );
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as TrainJson;
    expect(json.steps).toHaveLength(3);
    expect(json.steps.every((s) => Number.isFinite(s.loss) && s.tokens > 0)).toBe(true);
    expect(json.best).not.toBeNull();
    const lines = run.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; step?: number; inputIds?: number });
    const steps = lines.filter((l) => l.msg === 'train step');
    expect(steps.map((l) => [l.step, l.inputIds])).toEqual(json.steps.map((s) => [s.step, s.tokens]));
  });
});
