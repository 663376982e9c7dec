import { randomUUID } from 'node:crypto';
import { access, constants, cp, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  batchStream,
  criteriaForBlock,
  loadBackendPlugin,
  openModelSpec,
  readInitConfig,
  TOKENIZER_NAMES,
  UnsupportedModelError,
  UsageError,
  writeInitialModel,
  TOKENS,
  type Container,
  type Trainer,
} from '@pretrain/core';
import { CLI_TOKENS, composeCommand } from '../../compose/index.js';
import { backendOptionsFor } from '../../config/index.js';
import { writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { CHAIN_OPTIONS } from '../push/chain-session.js';
import { MODEL_STORE_OPTIONS, PUSH_OPTIONS } from '../push/model-store-option.js';
import { checkBatchesFit } from '../eval/check-batches.js';
import { readTokenFile } from '../eval/token-file.js';
import { DatasetBatches, FixedBatches, type MicroBatchSource } from './batch-source.js';
import { checkpointDir, originDir, readCheckpointState, type TrainingState } from './checkpoint.js';
import { checkSchedule, type LrSchedule } from './lr-schedule.js';
import { pushIfBetter } from './push-if-better.js';
import {
  checkPushBelow,
  checkPushTarget,
  pushIfBelow,
  type OpenSession,
  type PushBelowOptions,
  type PushTarget,
} from './push-trained.js';
import { downloadChosenModel, type CompetitorChoice } from './start-model.js';
import { StepProgress } from './step-progress.js';
import { runTraining } from './train-loop.js';

/** Exit code of a run stopped by SIGINT/SIGTERM after checkpointing (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

/** What a caller may change in {@link createTrainCommand}'s composition. */
export interface TrainCommandOptions {
  /** Rebind ports of the run's container (tests: `c => c.child([bind(TOKENS.ChainClient, ...)])`). */
  readonly compose?: (container: Container) => Container;
  /** Open the chain session a push signs with (tests: the in-memory chain's signer). */
  readonly openSession?: OpenSession;
}

/**
 * `pretrain train`: the reference miner's loop in TypeScript on a backend that trains
 * (tfjs): AdamW steps over micro-batches of a dataset's freshly sampled pages or of fixed
 * token batches, the best model saved in Hugging Face layout, checkpoints to resume from.
 */
export const trainCommand = createTrainCommand();

/** {@link trainCommand} with its composition root adjusted (see {@link TrainCommandOptions}). */
export function createTrainCommand(options: TrainCommandOptions = {}) {
  return defineCommand({
    command: 'train',
    describe: 'Train a model as the reference miner does (AdamW, gradient accumulation, best epoch kept)',
    epilogue:
      'Start from exactly one of --model <dir>, --init <config.json> (fresh weights), --from-uid N or --from-best (the\n' +
      "committed model of uid N, or of the uid with the highest incentive, fetched with download's checks).\n" +
      'Data from --dataset falcon|fineweb-edu2|local:<path>\n' +
      '(--pages-per-epoch pages per epoch, tokenizer and --seq-len from the newest criteria unless given) or --tokens <batches.json>\n' +
      '(one micro-batch each, in order, cycling; --out then holds the last model). --resume continues from <out>.checkpoint\n' +
      'bit for bit. SIGINT/SIGTERM checkpoint after the current step and exit 130. --push-below L (with --repo and the\n' +
      "wallet flags) pushes the best model at the end when its average loss is below L, with push's checks;\n" +
      "--push-if-better instead evaluates it with eval's code against the top miner's model on fresh --dataset pages\n" +
      '(the top keeps its earlier block, so the epsilon advantage) and pushes only when it would win.\n' +
      'With --json: {"steps":[{"step","loss","lr","tokens","seconds"}],"best":{"loss","step","epoch"},"out":...}.',
    builder: (yargs) =>
      yargs
        .option('model', { type: 'string', describe: 'model directory to start from' })
        .option('init', { type: 'string', describe: 'config.json of a model to initialise fresh' })
        .option('from-uid', {
          type: 'number',
          describe: "start from this uid's committed model (download's checks)",
        })
        .option('from-best', {
          type: 'boolean',
          describe: 'start from the committed model of the uid with the highest incentive',
        })
        .option('seed', { type: 'number', default: 0, describe: 'seed of --init and of the page sampling' })
        .option('dataset', { type: 'string', describe: 'falcon | fineweb-edu2 | local:<path>' })
        .option('tokens', {
          type: 'string',
          describe: 'JSON file of token batches (one micro-batch each, cycling)',
        })
        .conflicts('dataset', 'tokens')
        .option('tokenizer', {
          type: 'string',
          describe: 'distilgpt2 | Xenova/gpt-4 | path/to/tokenizer.json',
        })
        .option('seq-len', { type: 'number', describe: 'tokens per row (with --dataset)' })
        .option('pages-per-epoch', { type: 'number', default: 10, describe: 'pages sampled per epoch' })
        .option('epochs', {
          type: 'number',
          describe: 'stop after this many epochs (default: until stopped)',
        })
        .option('batch-size', {
          type: 'number',
          default: 1,
          describe: 'rows per micro-batch (with --dataset)',
        })
        .option('lr', { type: 'number', default: 1e-5, describe: 'AdamW learning rate' })
        .option('weight-decay', { type: 'number', default: 0.01, describe: 'AdamW decoupled weight decay' })
        .option('betas', { type: 'string', default: '0.9,0.999', describe: 'AdamW betas' })
        .option('eps', { type: 'number', default: 1e-8, describe: 'AdamW epsilon' })
        .option('grad-accum', { type: 'number', default: 5, describe: 'micro-batches per optimizer step' })
        .option('steps', { type: 'number', describe: 'stop after this many optimizer steps' })
        .option('schedule', { choices: ['constant', 'cosine'] as const, default: 'constant' as const })
        .option('warmup-steps', { type: 'number', default: 0, describe: 'linear warm-up steps' })
        .option('clip-grad-norm', { type: 'number', describe: 'clip the gradient norm (off by default)' })
        .option('out', { type: 'string', demandOption: true, describe: 'output directory' })
        .option('save-dtype', { choices: ['fp32', 'bf16'] as const, default: 'fp32' as const })
        .option('checkpoint-every', { type: 'number', describe: 'checkpoint every N steps' })
        .option('resume', { type: 'boolean', describe: 'continue from <out>.checkpoint' })
        .option('backend', { type: 'string', describe: 'backend that trains (default tfjs)' })
        .option('device', { choices: ['cpu', 'cuda'] as const, describe: 'device of the backend' })
        .option('push-below', {
          type: 'number',
          describe:
            'at the end, push the best model when its average loss is below this (needs --repo, wallet)',
        })
        .option('push-if-better', {
          type: 'boolean',
          describe:
            "at the end, push the best model when it beats the top miner's on fresh pages under epsilon (needs --dataset, --repo, wallet)",
        })
        .option('repo', { type: 'string', describe: 'repo id namespace/name to push to' })
        .option(CHAIN_OPTIONS)
        .options(MODEL_STORE_OPTIONS)
        .options(PUSH_OPTIONS)
        .option('json', { type: 'boolean', describe: 'print JSON' }),
    async run(args, context) {
      const { io, config, logger } = context;
      const dataset = args.dataset === undefined ? undefined : datasetChoice(args.dataset, io.cwd);
      const push: PushBelowOptions | undefined =
        args.pushBelow === undefined
          ? undefined
          : {
              threshold: args.pushBelow,
              repo: args.repo,
              modelStore: args.modelStore,
              useHotkeyInHash: args.useHotkeyInHash,
            };
      if (push !== undefined) checkPushBelow(push, context);
      const pushTarget: PushTarget | undefined = args.pushIfBetter
        ? { repo: args.repo, modelStore: args.modelStore, useHotkeyInHash: args.useHotkeyInHash }
        : undefined;
      if (pushTarget !== undefined) {
        if (push !== undefined) {
          throw new UsageError('--push-below and --push-if-better are two rules for one push: pass one');
        }
        if (args.dataset === undefined) {
          throw new UsageError('--push-if-better judges the model on fresh pages of --dataset', {
            hint: 'train with --dataset falcon|fineweb-edu2|local:<path>',
          });
        }
        checkPushTarget('--push-if-better', pushTarget, context);
      }
      const start = startChoice(args);
      const composed = composeCommand(context, {
        modelStore: args.modelStore,
        ...(dataset === undefined ? {} : { dataset }),
        ...(args.tokenizer === undefined ? {} : { tokenizer: tokenizerName(args.tokenizer, io.cwd) }),
      });
      const container = options.compose?.(composed) ?? composed;
      try {
        const out = resolve(io.cwd, args.out);
        const schedule: LrSchedule = {
          lr: args.lr,
          kind: args.schedule,
          warmupSteps: args.warmupSteps,
          totalSteps: args.steps,
        };
        checkSchedule(schedule);
        const betas = parseBetas(args.betas);
        for (const [flag, value, min] of [
          ['--grad-accum', args.gradAccum, 1],
          ['--batch-size', args.batchSize, 1],
          ['--pages-per-epoch', args.pagesPerEpoch, 1],
          ['--steps', args.steps, 1],
          ['--epochs', args.epochs, 1],
          ['--checkpoint-every', args.checkpointEvery, 1],
        ] as const) {
          if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
            throw new UsageError(`${flag} ${value} must be a whole number ≥ ${min}`);
          }
        }
        if (args.clipGradNorm !== undefined && !(args.clipGradNorm > 0)) {
          throw new UsageError(`--clip-grad-norm ${args.clipGradNorm} must be > 0`);
        }
        if (args.tokens === undefined && args.dataset === undefined) {
          throw new UsageError('say what to train on', {
            hint: 'pass --dataset falcon|fineweb-edu2|local:<path> or --tokens <batches.json>',
          });
        }
        await checkWritable(out);
        const resumed = args.resume ? await readCheckpointState(out) : undefined;
        let modelDir: string;
        if (resumed !== undefined) {
          modelDir = originDir(out);
          await rm(modelDir, { recursive: true, force: true });
          await cp(join(checkpointDir(out), 'model'), modelDir, { recursive: true });
        } else if (start === undefined) {
          throw new UsageError('say which model to train', {
            hint: 'pass --model <dir>, --init <config.json>, --from-uid <n>, --from-best or --resume',
          });
        } else if ('model' in start) modelDir = resolve(io.cwd, start.model);
        else if ('init' in start) {
          modelDir = originDir(out);
          await writeInitialModel(await readInitConfig(resolve(io.cwd, start.init)), modelDir, args.seed);
        } else {
          modelDir = originDir(out);
          await downloadChosenModel(start.from, modelDir, context, container);
        }
        const spec = await openModelSpec(modelDir);

        let source: MicroBatchSource;
        let freshBatches: (() => Promise<number[][][]>) | undefined;
        if (args.tokens !== undefined) {
          const batches = await readTokenFile(resolve(io.cwd, args.tokens));
          checkBatchesFit(batches, spec, modelDir);
          source = new FixedBatches(batches, resumed?.position);
        } else {
          const criteria = criteriaForBlock(Number.MAX_SAFE_INTEGER);
          const tokenizer = container.has(TOKENS.Tokenizer)
            ? await container.resolve(TOKENS.Tokenizer)
            : await (
                await container.resolve(CLI_TOKENS.TokenizerFor)
              )(criteria.tokenizer);
          const sequenceLength = args.seqLen ?? Math.min(criteria.sequenceLength, spec.maxPositions);
          if (
            !Number.isSafeInteger(sequenceLength) ||
            sequenceLength < 2 ||
            sequenceLength > spec.maxPositions
          ) {
            throw new UsageError(
              `--seq-len ${sequenceLength} must be from 2 to the model's ${spec.maxPositions} positions`,
            );
          }
          if (tokenizer.vocabSize > spec.vocabSize) {
            throw new UsageError(
              `the tokenizer's ${tokenizer.vocabSize} ids do not fit the model's vocabulary of ${spec.vocabSize}`,
              { hint: 'train with the tokenizer the model was made for (--tokenizer)' },
            );
          }
          const dataset = await container.resolve(TOKENS.Dataset);
          // Pages the run did not sample (a seed of its own), batched as validators batch them.
          freshBatches = async () => {
            const pages = await dataset.samplePages(args.pagesPerEpoch, { seed: `fresh:${randomUUID()}` });
            return [...batchStream(pages, tokenizer, args.batchSize, sequenceLength)];
          };
          source = new DatasetBatches(
            {
              dataset,
              tokenizer,
              pagesPerEpoch: args.pagesPerEpoch,
              batchSize: args.batchSize,
              sequenceLength,
              seed: String(args.seed),
            },
            resumed?.position,
          );
        }

        const plugin = await loadBackendPlugin(args.backend ?? 'tfjs', { cwd: io.cwd });
        if (plugin.createTrainer === undefined) {
          throw new UnsupportedModelError(`backend ${plugin.meta.name} cannot train`, {
            hint: 'train with --backend tfjs',
          });
        }
        const backendOptions = {
          ...backendOptionsFor(config, plugin),
          ...(args.device ? { device: args.device } : {}),
        };
        const trainer: Trainer = await plugin.createTrainer(
          spec,
          { lr: args.lr, weightDecay: args.weightDecay, betas, eps: args.eps },
          backendOptions,
        );
        let stop = false;
        const onSignal = (): void => {
          stop = true;
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const progress = new StepProgress(io.stderr, logger, args.logFormat === 'json', args.steps);
        try {
          if (resumed !== undefined)
            await trainer.loadOptimizerState(join(checkpointDir(out), 'optimizer.safetensors'));
          const outcome = await runTraining({
            trainer,
            source,
            schedule,
            gradAccum: args.gradAccum,
            steps: args.steps,
            epochs: args.epochs,
            clipGradNorm: args.clipGradNorm,
            out,
            saveDtype: args.saveDtype === 'bf16' ? 'BF16' : 'F32',
            saveLast: args.tokens !== undefined,
            checkpointEvery: args.checkpointEvery,
            resumed: resumed as TrainingState | undefined,
            stopRequested: () => stop,
            onStep: (record) => progress.step(record),
            onBest: (best) => logger.info('new best model', { ...best, out }),
          });
          progress.clear();
          if (args.json) writeJson(io.stdout, { steps: outcome.records, best: outcome.best ?? null, out });
          else {
            const best = outcome.best;
            io.stdout.write(
              `${outcome.records.length} steps; ` +
                (best === undefined
                  ? 'no epoch completed'
                  : `best loss ${best.loss.toFixed(4)} (step ${best.step})`) +
                ` in ${out}\n`,
            );
          }
          if (!outcome.interrupted && push !== undefined) {
            const pushed = await pushIfBelow(
              out,
              outcome.best?.loss,
              push,
              context,
              container,
              options.openSession,
            );
            if (pushed !== undefined) {
              logger.info('pushed the best model', {
                commitment: pushed.commitment,
                block: pushed.block,
                hotkey: pushed.hotkey,
              });
            }
          }
          if (!outcome.interrupted && pushTarget !== undefined && freshBatches !== undefined) {
            if (outcome.best === undefined) {
              logger.info('not pushing: no epoch completed, so there is no best model');
            } else {
              const { pushed } = await pushIfBetter(
                {
                  dir: out,
                  scratch: `${out}.top`,
                  batches: await freshBatches(),
                  target: pushTarget,
                  ...(options.openSession === undefined ? {} : { open: options.openSession }),
                },
                context,
                container,
              );
              if (pushed !== undefined) {
                logger.info('pushed the best model', {
                  commitment: pushed.commitment,
                  block: pushed.block,
                  hotkey: pushed.hotkey,
                });
              }
            }
          }
          if (outcome.interrupted) {
            io.stderr.write(
              `interrupted: checkpoint at step ${trainer.steps} in ${checkpointDir(out)}; --resume continues\n`,
            );
            return INTERRUPTED_EXIT_CODE;
          }
          return 0;
        } finally {
          progress.clear();
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await trainer.dispose();
        }
      } finally {
        await container.dispose();
      }
    },
  });
}

/** Where training starts: exactly one of --model, --init, --from-uid, --from-best (or none with --resume). */
type StartChoice =
  { readonly model: string } | { readonly init: string } | { readonly from: CompetitorChoice };

function startChoice(args: {
  readonly model?: string | undefined;
  readonly init?: string | undefined;
  readonly fromUid?: number | undefined;
  readonly fromBest?: boolean | undefined;
}): StartChoice | undefined {
  const given = [
    args.model === undefined ? undefined : '--model',
    args.init === undefined ? undefined : '--init',
    args.fromUid === undefined ? undefined : '--from-uid',
    args.fromBest ? '--from-best' : undefined,
  ].filter((flag) => flag !== undefined);
  if (given.length > 1) {
    throw new UsageError(`${given.join(' and ')} each name a starting model: pass one`, {
      hint: 'start from --model <dir>, --init <config.json>, --from-uid <n> or --from-best',
    });
  }
  if (args.model !== undefined) return { model: args.model };
  if (args.init !== undefined) return { init: args.init };
  if (args.fromUid !== undefined) {
    if (!Number.isSafeInteger(args.fromUid) || args.fromUid < 0) {
      throw new UsageError(`--from-uid ${args.fromUid} is not a uid`, {
        hint: 'a uid is a whole number from 0 (`pretrain chain metagraph` lists them)',
      });
    }
    return { from: { uid: args.fromUid } };
  }
  if (args.fromBest) return { from: 'best' };
  return undefined;
}

/** `--dataset` as a plugin choice: `falcon`, `fineweb-edu2`, or `local:` with its path from `cwd`. */
function datasetChoice(value: string, cwd: string): string {
  if (value === 'falcon' || value === 'fineweb-edu2') return value;
  if (value.startsWith('local:') && value.length > 6) return `local:${resolve(cwd, value.slice(6))}`;
  throw new UsageError(`--dataset ${JSON.stringify(value)} is not falcon, fineweb-edu2 or local:<path>`, {
    hint: 'e.g. --dataset local:./corpus.txt',
  });
}

/** A bundled tokenizer's name stays a name; anything else is a tokenizer.json path from `cwd`. */
function tokenizerName(value: string, cwd: string): string {
  return (TOKENIZER_NAMES as readonly string[]).includes(value) ? value : resolve(cwd, value);
}

function parseBetas(text: string): [number, number] {
  const parts = text.split(',').map(Number);
  if (parts.length !== 2 || !parts.every((b) => Number.isFinite(b) && b >= 0 && b < 1)) {
    throw new UsageError(`--betas ${JSON.stringify(text)} is not two numbers in [0, 1)`, {
      hint: 'e.g. --betas 0.9,0.999',
    });
  }
  return parts as [number, number];
}

/** Refuse an --out that cannot be created or written, before any work. */
async function checkWritable(out: string): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
    await access(out, constants.W_OK);
  } catch (cause) {
    throw new UsageError(`--out "${out}" is not a writable directory: ${(cause as Error).message}`, {
      hint: 'choose a directory you can write',
      cause,
    });
  }
}
