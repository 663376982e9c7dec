import { resolve } from 'node:path';
import {
  openModelSpec,
  TOKENIZER_NAMES,
  TOKENS,
  UsageError,
  type Container,
  type ModelSpec,
} from '@pretrain/core';
import { composeCommand } from '../../compose/index.js';
import { oneLine } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { checkBatchesFit } from './check-batches.js';
import { printEvalJson, printEvalTable, scoreEvaluations } from './eval-report.js';
import { evaluateModels } from './evaluate-models.js';
import { ProgressBar } from './progress-bar.js';
import { textBatches } from './text-batches.js';
import { readTokenFile } from './token-file.js';

/**
 * `pretrain eval`: losses of local models on given tokens or text, the sanity check,
 * then wins, win rates and weights exactly as a validator computes them.
 */
export const evalCommand = defineCommand({
  command: 'eval',
  describe: 'Evaluate local models as a validator would: per-batch losses, sanity check, win rates, weights',
  epilogue:
    'Input is --tokens FILE (a JSON list of batches of rows of ids, or one batch) or --text FILE|DIR with\n' +
    '--tokenizer and --seq-len: documents in order (directory files sorted by name, .txt paragraphs\n' +
    'separated by blank lines, .jsonl "text"/"content"), EOS after each, remainder dropped; --pages N\n' +
    '--seed S samples pages instead. --block gives each model its commitment block, in --model order\n' +
    '(the earlier block gets the epsilon advantage); without it all blocks are equal.\n' +
    'With --json: {"models":[{"path","losses","averageLoss","winRate","weight"}]}, infinite losses as null.',
  builder: (yargs) =>
    yargs
      .option('model', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'model directory (repeatable)',
      })
      .option('tokens', { type: 'string', describe: 'JSON file of token batches' })
      .option('text', { type: 'string', describe: '.txt/.jsonl file or directory of documents' })
      .option('tokenizer', { type: 'string', describe: 'distilgpt2 | Xenova/gpt-4 | path/to/tokenizer.json' })
      .option('seq-len', { type: 'number', describe: 'tokens per row (with --text)' })
      .option('batch-size', { type: 'number', default: 1, describe: 'rows per batch (with --text)' })
      .option('max-batches', { type: 'number', describe: 'use at most this many batches (with --text)' })
      .option('pages', { type: 'number', describe: 'sample this many pages of the text, as validators do' })
      .option('seed', { type: 'string', describe: 'seed of the page sampling (with --pages)' })
      .option('block', { type: 'number', array: true, describe: 'commitment block of each model, in order' })
      .option('backend', { type: 'string', describe: 'backend name or module path' })
      .option('device', { choices: ['cpu', 'cuda'] as const, describe: 'device of the backend' })
      .option('threads', { type: 'string', describe: 'backend worker threads' })
      .option('sanity-check', {
        type: 'boolean',
        default: true,
        describe: 'run the greedy sanity check (--no-sanity-check)',
      })
      .option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, context) {
    const { io, config, logger } = context;
    const paths = args.model.map(String);
    const blocks = checkBlocks(args.block, paths.length);
    const specs: ModelSpec[] = [];
    for (const path of paths) specs.push(await openModelSpec(resolve(io.cwd, path)));
    const container = composeCommand(context, {
      ...(args.tokenizer === undefined ? {} : { tokenizer: tokenizerName(args.tokenizer, io.cwd) }),
      ...(args.text === undefined ? {} : { dataset: `local:${resolve(io.cwd, args.text)}` }),
    });
    let evaluations;
    let progress: ProgressBar | undefined;
    try {
      const batches = await readBatches(args, io.cwd, container);
      specs.forEach((spec, i) => checkBatchesFit(batches, spec, paths[i] as string));
      const backend = await container.resolve(TOKENS.LossBackend);
      progress = new ProgressBar(io.stderr, specs.length * batches.length);
      evaluations = await evaluateModels({
        backend,
        specs,
        batches,
        sanityCheck: args.sanityCheck !== false,
        onProgress: (done, model) => progress?.update(done, paths[model] ?? ''),
      });
    } finally {
      progress?.clear();
      await container.dispose();
    }
    // Plain lines for a person; log lines under --log-format json, so stderr stays JSON.
    const tell = (level: 'info' | 'warn', text: string) =>
      config.logFormat === 'json'
        ? logger[level](text)
        : io.stderr.write(`${level === 'info' ? 'note' : 'warning'}: ${oneLine(text)}\n`);
    evaluations.forEach(({ failure, notes }, i) => {
      for (const note of notes ?? []) tell('info', `${paths[i]}: ${note}`);
      if (failure) tell('warn', `${paths[i]} scores +inf: ${failure}`);
    });
    const entries = scoreEvaluations(paths, evaluations, blocks ?? paths.map(() => 0));
    if (args.json) printEvalJson(io.stdout, entries);
    else printEvalTable(io.stdout, entries, evaluations, blocks);
  },
});

interface BatchArgs {
  readonly tokens?: string | undefined;
  readonly text?: string | undefined;
  readonly tokenizer?: string | undefined;
  readonly seqLen?: number | undefined;
  readonly batchSize?: number | undefined;
  readonly maxBatches?: number | undefined;
  readonly pages?: number | undefined;
  readonly seed?: string | undefined;
}

/** A bundled tokenizer's name stays a name; anything else is a tokenizer.json path from `cwd`. */
function tokenizerName(value: string, cwd: string): string {
  return (TOKENIZER_NAMES as readonly string[]).includes(value) ? value : resolve(cwd, value);
}

async function readBatches(args: BatchArgs, cwd: string, container: Container): Promise<number[][][]> {
  if ((args.tokens === undefined) === (args.text === undefined)) {
    throw new UsageError('pass exactly one of --tokens <file.json> and --text <file|dir>');
  }
  if (args.tokens !== undefined) return readTokenFile(resolve(cwd, args.tokens));
  if (args.tokenizer === undefined || args.seqLen === undefined) {
    throw new UsageError('--text needs --tokenizer and --seq-len', {
      hint: 'e.g. --tokenizer distilgpt2 --seq-len 1024',
    });
  }
  const counts = {
    '--seq-len': args.seqLen,
    '--batch-size': args.batchSize ?? 1,
    '--max-batches': args.maxBatches,
    '--pages': args.pages,
  };
  for (const [flag, value] of Object.entries(counts)) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new UsageError(`${flag} ${value} must be a positive integer`);
    }
  }
  if (args.seqLen < 2) {
    // The loss predicts each token from the ones before it: a 1-token row predicts nothing.
    throw new UsageError(`--seq-len ${args.seqLen} leaves no token to predict: it must be at least 2`, {
      hint: 'validators use the sequence length of the competition (e.g. --seq-len 4096)',
    });
  }
  return textBatches({
    text: resolve(cwd, args.text as string),
    tokenizer: await container.resolve(TOKENS.Tokenizer),
    dataset: args.pages === undefined ? undefined : await container.resolve(TOKENS.Dataset),
    sequenceLength: args.seqLen,
    batchSize: args.batchSize ?? 1,
    maxBatches: args.maxBatches,
    pages: args.pages,
    seed: args.seed,
  });
}

function checkBlocks(blocks: readonly number[] | undefined, models: number): number[] | undefined {
  if (blocks === undefined) return undefined;
  if (blocks.length !== models) {
    throw new UsageError(`${blocks.length} --block values for ${models} --model directories`, {
      hint: 'give one --block per --model, in the same order',
    });
  }
  const bad = blocks.find((b) => !Number.isSafeInteger(b) || b < 0);
  if (bad !== undefined) throw new UsageError(`--block ${bad} is not a block number`);
  return [...blocks];
}
