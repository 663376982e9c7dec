import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES_DIR, readGoldens } from '@pretrain/conformance';
import { getEncoding } from 'js-tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';

const MODELS = join(FIXTURES_DIR, 'models');
const BATCHES = join(FIXTURES_DIR, 'batches.json');
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-eval-'));
  // The real ONNX backend, reached through a plugin path as a user would give it.
  const onnx = fileURLToPath(new URL('../../../../backend-onnx/src/index.ts', import.meta.url));
  await writeFile(join(cwd, 'onnx-plugin.ts'), `export { default } from ${JSON.stringify(onnx)};\n`);
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

interface EvalJson {
  readonly losses: (number | null)[];
  readonly averageLoss: number | null;
  readonly winRate: number;
}

const evalCli = (...flags: string[]) => runCli(['eval', '--backend', './onnx-plugin.ts', ...flags], { cwd });

describe('pretrain eval', () => {
  it('prints reference losses, win rates and weights as JSON', async () => {
    const goldens = await readGoldens();
    const tied = goldens.models.find((m) => m.name === 'gpt2-tied-f32');
    const untied = goldens.models.find((m) => m.name === 'gpt2-untied-bf16');
    const run = await evalCli(
      ...['--model', join(MODELS, 'gpt2-tied-f32'), '--model', join(MODELS, 'gpt2-untied-bf16')],
      ...['--tokens', BATCHES, '--no-sanity-check', '--json'],
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      models: { path: string; losses: number[]; winRate: number; weight: number }[];
    };
    expect(Object.keys(out.models[0] ?? {})).toEqual(['path', 'losses', 'averageLoss', 'winRate', 'weight']);
    out.models.forEach((model, i) => {
      const golden = [tied, untied][i]?.losses ?? [];
      model.losses.forEach((loss, b) =>
        expect(Math.abs(loss - (golden[b] ?? 0))).toBeLessThan(1e-5 * (golden[b] ?? 0)),
      );
    });
    // From the goldens: untied is lower on 6 of the 7 batches (all but batch 2), equal blocks.
    expect(out.models.map((m) => m.winRate)).toEqual([1 / 7, 6 / 7]);
    expect(out.models[1]?.weight).toBeGreaterThan(0.999);
  });

  it('gives the earlier block its epsilon advantage and prints a table', async () => {
    const model = join(MODELS, 'gpt2-tied-f32');
    const run = await evalCli(
      '--model',
      model,
      '--model',
      model,
      '--tokens',
      BATCHES,
      '--block',
      '5',
      '--block',
      '9',
      '--no-sanity-check',
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^model\s+block\s+avg loss\s+batches\s+sanity\s+win rate\s+weight$/);
    expect(lines[1]).toMatch(/\s5\s+14\.\d{6}\s+7\s+skipped\s+1\.0000\s+1\.000000$/);
    expect(lines[2]).toMatch(/\s9\s+14\.\d{6}\s+7\s+skipped\s+0\.0000\s+0\.000000$/);
  });

  it('accepts a single batch and refuses the sanity check without two batches', async () => {
    const file = join(cwd, 'one.json');
    await writeFile(
      file,
      JSON.stringify([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    const ok = await evalCli(
      '--model',
      join(MODELS, 'llama-mha-f16'),
      '--tokens',
      file,
      '--no-sanity-check',
      '--json',
    );
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { models: { losses: number[] }[] }).models[0]?.losses).toHaveLength(1);
    const refused = await evalCli('--model', join(MODELS, 'llama-mha-f16'), '--tokens', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/sanity check needs 2 non-empty batches/);
  });

  it('runs the sanity check: a repetitive model scores +inf (null in JSON), a varied one its losses', async () => {
    // By reference_loss.py --greedy 20 on the first rows of batches 0 and 1: gpt2-tied-f32
    // repeats one token 20 times in both continuations (fails); neox-parallel-f32 does not.
    const run = await evalCli(
      ...['--model', join(MODELS, 'gpt2-tied-f32'), '--model', join(MODELS, 'neox-parallel-f32')],
      ...['--tokens', BATCHES, '--json'],
    );
    expect(run.code).toBe(0);
    const [tied, neox] = (JSON.parse(run.stdout) as { models: EvalJson[] }).models;
    expect(tied?.losses).toEqual(Array(7).fill(null));
    expect(tied?.averageLoss).toBeNull();
    expect(neox?.losses.every((l) => typeof l === 'number' && l > 5)).toBe(true);
    expect(neox?.winRate).toBe(1);
    const table = await evalCli('--model', join(MODELS, 'gpt2-tied-f32'), '--tokens', BATCHES);
    expect(table.stdout).toMatch(/\sinf\s+7\s+failed\s/);
  });

  it("honours each model's generation_config.json in the sanity check, and notes sampling", async () => {
    // gpt2-genconfig-f32 alone repeats its prompt's last token, as gpt2-tied-f32 does; its
    // generation config's repetition penalty and 2-gram ban make both continuations vary.
    const genconfig = join(MODELS, 'gpt2-genconfig-f32');
    const run = await evalCli('--model', genconfig, '--tokens', BATCHES, '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [passed] = (JSON.parse(run.stdout) as { models: EvalJson[] }).models;
    expect(passed?.losses.every((l) => typeof l === 'number')).toBe(true);
    const sampled = join(cwd, 'sampled');
    await cp(genconfig, sampled, { recursive: true });
    const file = join(sampled, 'generation_config.json');
    const generation = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...generation, do_sample: true, top_k: 5 }));
    const noted = await evalCli('--model', sampled, '--tokens', BATCHES, '--json');
    expect(noted.code).toBe(0);
    expect(noted.stderr).toMatch(
      /^note: .*sampled: generation_config.json sets do_sample: the reference's sanity/,
    );
    const logged = await evalCli('--model', sampled, '--tokens', BATCHES, '--json', '--log-format', 'json');
    const lines = logged.stderr
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: expect.stringMatching(/sampled: generation_config.json sets do_sample/),
      }),
    );
    await writeFile(file, JSON.stringify({ eos_token_id: 511 }));
    const plain = await evalCli('--model', sampled, '--tokens', BATCHES, '--json');
    expect((JSON.parse(plain.stdout) as { models: EvalJson[] }).models[0]?.losses).toEqual(
      Array(7).fill(null),
    );
  });

  it('tokenizes --text like the validator: EOS after each paragraph, remainder dropped', async () => {
    const paragraphs = [
      'Well, Prince, so Genoa and Lucca are now just family estates of the Buonapartes.',
      'It was in July, 1805, and the speaker was the well-known Anna Pavlovna Scherer.',
      'All her invitations without exception, written in French, were delivered that morning.',
    ];
    await writeFile(join(cwd, 'text.txt'), paragraphs.join('\n\n') + '\n');
    const gpt2 = getEncoding('gpt2');
    const buffer = paragraphs.flatMap((p) => [...gpt2.encode(p), 50256]);
    const batches: number[][][] = [];
    for (let start = 0; start + 32 <= buffer.length; start += 32) {
      batches.push([buffer.slice(start, start + 16), buffer.slice(start + 16, start + 32)]);
    }
    await writeFile(join(cwd, 'expected.json'), JSON.stringify(batches));
    const model = join(MODELS, 'gpt2-vocab50257-bf16');
    const common = ['--model', model, '--no-sanity-check', '--json'];
    const fromText = await evalCli(
      ...common,
      ...[
        '--text',
        'text.txt',
        '--tokenizer',
        join(model, 'tokenizer.json'),
        '--seq-len',
        '16',
        '--batch-size',
        '2',
      ],
    );
    const bundled = await evalCli(
      ...common,
      '--text',
      'text.txt',
      '--tokenizer',
      'distilgpt2',
      '--seq-len',
      '16',
      '--batch-size',
      '2',
    );
    const fromTokens = await evalCli(...common, '--tokens', 'expected.json');
    expect(fromText.stderr).toBe('');
    expect(batches.length).toBeGreaterThan(0);
    expect(JSON.parse(fromText.stdout)).toEqual(JSON.parse(fromTokens.stdout));
    expect(bundled.stdout).toBe(fromText.stdout);
    const capped = await evalCli(
      ...common,
      '--text',
      'text.txt',
      '--tokenizer',
      'distilgpt2',
      '--seq-len',
      '16',
      '--max-batches',
      '1',
    );
    expect((JSON.parse(capped.stdout) as { models: EvalJson[] }).models[0]?.losses).toHaveLength(1);
  });

  it('samples pages reproducibly with --pages and --seed', async () => {
    const paragraphs = Array.from(
      { length: 250 },
      (_, i) => `Paragraph ${i} of the sampled text, number ${i * 7}.`,
    );
    await writeFile(join(cwd, 'pages.txt'), paragraphs.join('\n\n'));
    const model = join(MODELS, 'gpt2-vocab50257-bf16');
    const sample = (seed: string) =>
      evalCli(
        ...[
          '--model',
          model,
          '--no-sanity-check',
          '--json',
          '--text',
          'pages.txt',
          '--tokenizer',
          'distilgpt2',
        ],
        ...['--seq-len', '64', '--pages', '2', '--seed', seed],
      );
    const [a, b] = [await sample('block-123'), await sample('block-123')];
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect((JSON.parse(a.stdout) as { models: EvalJson[] }).models[0]?.losses.length).toBeGreaterThan(5);
  });

  const errors: [string, string[], RegExp][] = [
    ['a bad model path', ['--model', 'nope', '--tokens', BATCHES], /model path ".*nope" is not a directory/],
    [
      'a non-model directory',
      ['--model', '.', '--tokens', BATCHES],
      /config\.json" is missing: not a Hugging Face model directory/,
    ],
    [
      'token ids ≥ vocab size',
      ['--model', join(MODELS, 'gpt2-tied-f32'), '--tokens', join(FIXTURES_DIR, 'text-batches.json')],
      /token id \d+ \(batch 0, row 0, position \d+\) is ≥ the vocabulary size 512/,
    ],
    [
      'both inputs',
      ['--model', join(MODELS, 'gpt2-tied-f32'), '--tokens', BATCHES, '--text', '.'],
      /exactly one of --tokens/,
    ],
    [
      'a missing token file',
      ['--model', join(MODELS, 'gpt2-tied-f32'), '--tokens', 'missing.json'],
      /cannot read token file/,
    ],
    [
      '--text without a tokenizer',
      ['--model', join(MODELS, 'gpt2-tied-f32'), '--text', '.'],
      /--text needs --tokenizer and --seq-len/,
    ],
    [
      'a --seq-len of 1 (nothing to predict)',
      [
        '--model',
        join(MODELS, 'gpt2-tied-f32'),
        '--text',
        '.',
        '--tokenizer',
        'distilgpt2',
        '--seq-len',
        '1',
      ],
      /--seq-len 1 leaves no token to predict: it must be at least 2/,
    ],
    [
      'a numeric flag that is not a number, quoting it',
      [
        '--model',
        join(MODELS, 'gpt2-tied-f32'),
        '--text',
        '.',
        '--tokenizer',
        'distilgpt2',
        '--seq-len',
        'abc',
      ],
      /^error: --seq-len needs a number, got "abc"$/,
    ],
    [
      'a --block that is not a number, quoting it',
      ['--model', join(MODELS, 'gpt2-tied-f32'), '--tokens', BATCHES, '--block=12x'],
      /^error: --block needs a number, got "12x"$/,
    ],
    [
      'blocks not matching models',
      ['--model', join(MODELS, 'gpt2-tied-f32'), '--tokens', BATCHES, '--block', '1', '--block', '2'],
      /2 --block values for 1 --model/,
    ],
  ];
  it.each(errors)('prints a one-line error for %s', async (_label, flags, message) => {
    const run = await evalCli(...flags);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(message);
  });
});
