import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bind,
  ChildProcessEvaluator,
  criteriaForBlock,
  DEFAULT_VALIDATOR_OPTIONS,
  readDocuments,
  TOKENS,
  StepHistory,
  Validator,
  type Container,
  type Logger,
  type StepResult,
} from '@pretrain/core';
import type { OutputStream } from '../cli-io.js';
import type { PortChoices } from '../compose/index.js';
import { historyDirOf, LiveState, startDashboard, weightsRecorder } from '../dashboard/index.js';
import { combineObservers } from '../validator/combine-observers.js';
import type { DemoChainStarter } from './demo-chain.js';
import { writeDemoModels } from './demo-models.js';
import { printChainWeights, printMiners, printStep } from './demo-report.js';
import { judgeDemo, type DemoVerdict } from './judge-demo.js';
import { publishMiners } from './publish-miners.js';
import { withSeedSequence } from './seeded-dataset.js';

/** The corpus shipped with the CLI (see `assets/README.md`). */
export const DEMO_CORPUS = fileURLToPath(new URL('../../assets/demo-corpus.txt', import.meta.url));

/** Options of {@link runDemo}. */
export interface DemoOptions {
  readonly out: OutputStream;
  readonly logger: Logger;
  /** Where the backend plugin resolves from. */
  readonly cwd: string;
  /** Starts the chain: the devnet for the command, any contract-passing chain in tests. */
  readonly startChain: DemoChainStarter;
  /**
   * The command's composition root (`composeCommand` over its context): the demo asks it
   * for the embedded store, the corpus dataset, the GPT-2 tokenizer and the validator's
   * local store, and binds the devnet's client in a child scope.
   */
  readonly compose: (choices: PortChoices) => Container;
  /** Loss backend name or path (default `onnx`). */
  readonly backend?: string;
  /** Eval steps to run (default 3). */
  readonly steps?: number;
  /** Pages per step (default 1: about 5 batches of 1024 tokens). */
  readonly pagesPerEval?: number;
  /** Text to evaluate on (default {@link DEMO_CORPUS}). */
  readonly corpus?: string;
  /** Keep the models, store and state in this directory instead of a temporary one. */
  readonly dataDir?: string;
  /** Serve the dashboard while the validator runs, and after the report until `hold` resolves. */
  readonly dashboard?: DemoDashboard;
  readonly signal?: AbortSignal;
}

/** The demo's dashboard: where to serve it and how long to keep it up after the report. */
export interface DemoDashboard {
  readonly port: number;
  readonly host?: string;
  /** Called once the page is up, before the validator's first step. */
  readonly onReady?: (url: string) => void;
  /** Awaited after the report, with everything still running (e.g. until Ctrl-C). */
  readonly hold: (url: string) => Promise<void>;
}

/**
 * The whole subnet on one machine (issue 6 §3): a devnet, four miners (three originals
 * of graded quality and a later copy of the best), the embedded model store, a
 * validator on the onnx backend and the local corpus; prints every stage and returns
 * the verdict. Everything it starts is stopped before it returns, even on failure.
 */
export async function runDemo(options: DemoOptions): Promise<DemoVerdict> {
  const { out, logger, signal } = options;
  const corpus = options.corpus ?? DEMO_CORPUS;
  const work = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'pretrain-demo-')));
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const criteria = criteriaForBlock(0);
    const root = options.compose({
      modelStore: `dir:${join(work, 'hub')}`,
      dataset: `local:${corpus}`,
      tokenizer: criteria.tokenizer,
      localModelDir: join(work, 'validator'),
    });
    stops.push(() => root.dispose());
    const tokenizer = await root.resolve(TOKENS.Tokenizer);
    const documents = (await readDocuments(corpus)).map((text) => [
      ...tokenizer.encode(text, { truncation: true }),
      tokenizer.eosTokenId,
    ]);
    const models = await writeDemoModels({
      dir: join(work, 'miners'),
      documents,
      vocabSize: tokenizer.vocabSize,
      eosTokenId: tokenizer.eosTokenId,
      sequenceLength: criteria.sequenceLength,
    });
    out.write(
      `\n[1/5] miner models: one-layer Llama, vocab ${tokenizer.vocabSize}, in ${join(work, 'miners')}\n`,
    );
    for (const m of models) out.write(`  ${m.label.padEnd(10)} ${m.description}\n`);

    out.write('\n[2/5] starting the devnet (the subtensor runtime in chopsticks)\n');
    const devnet = await options.startChain({ miners: models.length + 1, logger });
    stops.push(() => devnet.stop());
    const { chain, netuid } = devnet;
    out.write(`  ${devnet.endpoint}, netuid ${netuid}, validator ${devnet.validator.address}\n`);

    out.write('\n[3/5] miners push: criteria check, upload to the embedded store, commit, read back\n');
    // The devnet's own client (it stops with the devnet), for everything resolved below.
    const ports = root.child([bind(TOKENS.ChainClient, { value: chain })]);
    const store = await ports.resolve(TOKENS.ModelStore);
    const miners = await publishMiners({
      chain,
      netuid,
      store,
      models,
      signers: devnet.miners,
      workDir: work,
      logger,
    });
    const uids = new Map((await chain.metagraph(netuid)).neurons.map((n) => [n.hotkey, n.uid]));
    const uidOf = (hotkey: string): number => uids.get(hotkey) ?? -1;
    printMiners(out, miners, uidOf);
    const labels = new Map(miners.map((m) => [uidOf(m.hotkey), m.label]));

    out.write(
      `\n[4/5] validator: backend ${options.backend ?? 'onnx'}, ${options.pagesPerEval ?? 1} page(s) of the local corpus per step\n`,
    );
    const dataset = withSeedSequence(await ports.resolve(TOKENS.Dataset), 'pretrain-demo');
    const validatorDir = join(work, 'validator');
    const history = await StepHistory.open(historyDirOf(validatorDir));
    const live = new LiveState();
    let dashboardUrl: string | undefined;
    if (options.dashboard !== undefined) {
      const server = await startDashboard({
        history,
        live,
        label: `devnet demo, netuid ${netuid}`,
        port: options.dashboard.port,
        host: options.dashboard.host,
        chain,
        chainPollMs: 2000,
        logger,
      });
      stops.push(() => server.close());
      dashboardUrl = server.url;
      out.write(`  dashboard: ${server.url}\n`);
      options.dashboard.onReady?.(server.url);
    }
    const evaluator = new ChildProcessEvaluator({
      backend: options.backend ?? 'onnx',
      cwd: options.cwd,
      timeoutMs: 180_000,
    });
    const validator = await Validator.create(
      {
        chain,
        signer: devnet.validator,
        store,
        local: await ports.resolve(TOKENS.LocalModelStore),
        datasetFor: () => dataset,
        tokenizerFor: async () => tokenizer,
        evaluator,
        logger,
        observer: combineObservers(
          { onStepDone: (step: StepResult) => printStep(out, step, labels) },
          live.observer(),
          weightsRecorder(history, logger),
        ),
        history,
      },
      {
        ...DEFAULT_VALIDATOR_OPTIONS,
        netuid,
        statePath: join(validatorDir, 'state.json'),
        pagesPerEval: options.pagesPerEval ?? 1,
        blocksPerEpoch: 1,
      },
    );
    stops.push(async () => evaluator.killAll());
    const steps = await validator.runSteps(options.steps ?? 3, signal);

    const metagraph = await chain.metagraph(netuid);
    const onChain = metagraph.neurons[uidOf(devnet.validator.address)]?.weights ?? [];
    out.write(`\n[5/5] weights set by the validator, read back from the chain at block ${metagraph.block}\n`);
    printChainWeights(out, onChain, labels);
    const verdict = judgeDemo({ steps, onChain, labels });
    out.write(`\n${verdict.lines.join('\n')}\n`);
    if (options.dashboard !== undefined && dashboardUrl !== undefined) {
      out.write(`\ndashboard: ${dashboardUrl} (the validator's page; Ctrl-C stops the demo)\n`);
      await options.dashboard.hold(dashboardUrl);
    }
    return verdict;
  } finally {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => logger.warn('demo cleanup failed', { error: String(error) }));
    if (options.dataDir === undefined) await rm(work, { recursive: true, force: true });
  }
}
