// Bench case `step`: one whole validator step, timed per phase, on a devnet (the subtensor
// runtime in chopsticks, in this process) with the embedded model store, N miners and the
// demo's local corpus. Distinct miner models are the demo's cycle models grown to a size
// whose losses cost seconds (same logits, zero blocks); the last uids commit byte-identical
// copies of the first ones. Each N runs the step twice on the same chain and models, first
// loading each model in turn (`lookAhead: false`, the "before") then with look-ahead, each
// time with a fresh validator (fresh local store, so downloads and hashing are measured).
// Needs `npm run build`. Alone: `node scripts/bench/step.mjs [--sizes 4,14] [--pages 4] [--json out.json]`;
// in the bench: `npm run bench -- --cases step` (not run by default: about 25 minutes on 2 cores).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI_DIST = join(ROOT, 'packages', 'cli', 'dist');
const CORPUS = join(ROOT, 'packages', 'cli', 'assets', 'demo-corpus.txt');
/** Size of every miner model: distilgpt2's vocabulary, 4 Llama blocks of width 256. */
const MODEL_SIZE = { hidden: 256, layers: 4, intermediate: 1024 };
/** Copies among N miners: 1 of 4, 5 of 14 (the issue's case), about a third otherwise. */
const copiesFor = (n) => (n === 4 ? 1 : n === 14 ? 5 : Math.floor(n / 3));

const cliModule = (path) => import(pathToFileURL(join(CLI_DIST, path)).href);

/** Run the step profile for every N in `sizes`; returns one entry per (N, mode). */
export async function benchStep({ sizes = [4, 14], pages = 4, backend = 'onnx', log = () => {} } = {}) {
  const core = await import('@pretrain/core');
  const { loadTokenizer } = await import('@pretrain/huggingface');
  const { writeCycleModel } = await cliModule('demo/cycle-model.js');
  const { boostsFor, topTokens, unigramLogProbs } = await cliModule('demo/demo-priors.js');
  const { devnetDemoChain } = await cliModule('demo/devnet-demo-chain.js');
  const { withSeedSequence } = await cliModule('demo/seeded-dataset.js');
  const tokenizer = await loadTokenizer('distilgpt2');
  const documents = (await core.readDocuments(CORPUS)).map((text) => [
    ...tokenizer.encode(text, { truncation: true }),
    tokenizer.eosTokenId,
  ]);
  const logProbs = unigramLogProbs(documents, tokenizer.vocabSize);
  const exclude = [tokenizer.eosTokenId];
  const cycle = topTokens(logProbs, 39, exclude);
  const runs = [];
  for (const n of sizes) {
    const work = await mkdtemp(join(tmpdir(), 'pretrain-bench-step-'));
    const stops = [];
    try {
      const copies = copiesFor(n);
      const distinct = n - copies;
      log(`step N=${n}: writing ${distinct} distinct models…`);
      const dirs = [];
      for (let k = 0; k < distinct; k++) {
        // Flatter priors, one per miner: distinct files, each passing the sanity check.
        const prior = logProbs.map((x) => x * (1 - 0.03 * k));
        const dir = join(work, 'models', `m${k}`);
        await writeCycleModel(dir, {
          prior,
          cycle,
          boosts: boostsFor(prior, cycle, exclude),
          eosTokenId: tokenizer.eosTokenId,
          maxPositions: 1024,
          size: MODEL_SIZE,
        });
        dirs.push(dir);
      }
      log(`step N=${n}: starting the devnet with ${n} miners…`);
      const devnet = await devnetDemoChain({ blockTimeMs: 3_600_000 })({
        miners: n,
        logger: core.silentLogger,
      });
      stops.push(() => devnet.stop());
      const store = new core.DirectoryModelStore(join(work, 'hub'));
      for (let i = 0; i < n; i++) {
        log(`step N=${n}: miner ${i + 1}/${n} pushes${i >= distinct ? ` a copy of m${i - distinct}` : ''}…`);
        await core.pushModel({
          dir: dirs[i < distinct ? i : i - distinct],
          repo: `bench-miner-${i}/step-lm`,
          chain: devnet.chain,
          store,
          netuid: devnet.netuid,
          signer: devnet.miners[i],
          retryDelayMs: 1000,
          pollMs: 500,
        });
      }
      for (const lookAhead of [false, true]) {
        log(`step N=${n}: one step, look-ahead ${lookAhead ? 'on' : 'off'}…`);
        const run = await oneStep({
          core,
          devnet,
          store,
          work,
          lookAhead,
          pages,
          backend,
          tokenizer,
          withSeedSequence,
        });
        runs.push({ n, distinct, copies, lookAhead, ...run });
        log(
          `step N=${n}, look-ahead ${lookAhead ? 'on' : 'off'}: step ${(run.stepMs / 1000).toFixed(1)} s, losses ${(run.phases.losses / 1000).toFixed(1)} s`,
        );
      }
    } finally {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await rm(work, { recursive: true, force: true });
    }
  }
  return { case: 'step', model: MODEL_SIZE, pages, backend, loadAverage: await loadAverage(), runs };
}

/** A fresh validator on the devnet: sync every model, one step, the weights; everything timed. */
async function oneStep({
  core,
  devnet,
  store,
  work,
  lookAhead,
  pages,
  backend,
  tokenizer,
  withSeedSequence,
}) {
  const localDir = join(work, `validator-${lookAhead ? 'ahead' : 'in-turn'}`);
  const chainTime = { reads: 0, weights: 0 };
  const chain = timed(devnet.chain, (name, ms) => {
    if (name === 'setWeights') chainTime.weights += ms;
    else if (name !== 'close') chainTime.reads += ms;
  });
  let downloadMs = 0;
  const timedStore = timed(store, (name, ms) => {
    if (name === 'download') downloadMs += ms;
  });
  const evaluator = new core.ChildProcessEvaluator({ backend, cwd: ROOT, timeoutMs: 1_800_000 });
  let result;
  const options = {
    ...core.DEFAULT_VALIDATOR_OPTIONS,
    netuid: devnet.netuid,
    statePath: join(localDir, 'state.json'),
    pagesPerEval: pages,
    blocksPerEpoch: 1,
    lookAhead,
  };
  const dataset = withSeedSequence(new core.LocalTextDataset({ path: CORPUS }), 'bench-step');
  const validator = await core.Validator.create(
    {
      chain,
      signer: devnet.validator,
      store: timedStore,
      local: new core.DiskLocalModelStore(localDir),
      datasetFor: () => dataset,
      tokenizerFor: async () => tokenizer,
      evaluator,
      logger: core.silentLogger,
      observer: { onStepDone: (r) => (result = r) },
    },
    options,
  );
  const memory = sampleMemory();
  try {
    const reads0 = chainTime.reads;
    let started = performance.now();
    await validator.syncAllModels();
    const syncMs = performance.now() - started;
    const syncChainMs = chainTime.reads - reads0;
    const parentBefore = process.memoryUsage().rss;
    memory.reset();
    const reads1 = chainTime.reads;
    started = performance.now();
    await validator.runStep();
    const stepMs = performance.now() - started;
    const stepChainMs = chainTime.reads - reads1;
    const peaks = memory.peaks();
    started = performance.now();
    await new core.WeightSetter({
      chain,
      signer: devnet.validator,
      netuid: devnet.netuid,
      versionKey: options.versionKey,
      blocksPerEpoch: 1,
      logger: core.silentLogger,
    }).maybeSet(validator.currentWeights());
    const weightsMs = performance.now() - started;
    const evaluated = result.rows.filter(
      (r) => r.sharedWith === undefined && r.timings?.lossesMs !== undefined,
    );
    const sum = (key) => evaluated.reduce((a, r) => a + (r.timings?.[key] ?? 0), 0);
    const t = result.timings;
    return {
      stepMs,
      syncMs,
      evaluations: result.evaluations,
      batchCount: result.batchCount,
      failures: result.rows.filter((r) => r.failure !== undefined).map((r) => `${r.uid}: ${r.failure}`),
      losses: result.rows.map((r) => r.averageLoss),
      phases: {
        syncChainReads: syncChainMs,
        downloads: downloadMs,
        updaterChecks: syncMs - syncChainMs - downloadMs,
        chainReads: stepChainMs,
        pagesAndBatches: t.pagesMs + t.batchesMs + t.batchFileMs,
        hashing: t.hashMs,
        childStart: sum('childStartMs'),
        batchRead: sum('batchReadMs'),
        open: sum('openMs'),
        load: sum('loadMs'),
        waitAhead: sum('waitMs'),
        sanity: sum('sanityMs'),
        losses: sum('lossesMs'),
        scoring: t.scoreMs,
        stateWrite: t.stateWriteMs,
        weights: weightsMs,
      },
      stepChainMs,
      metagraphAfterStepMs: stepChainMs - (t.chainMs ?? 0),
      evaluateMs: t.evaluateMs,
      parentRssBeforeStep: parentBefore,
      parentPeakRss: peaks.parent,
      childPeakRss: peaks.child,
    };
  } finally {
    memory.stop();
    evaluator.killAll();
  }
}

/** A proxy of `target` that reports the wall time of every async method call. */
function timed(target, report) {
  return new Proxy(target, {
    get(object, name, receiver) {
      const value = Reflect.get(object, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args) => {
        const started = performance.now();
        const out = value.apply(object, args);
        if (out instanceof Promise)
          return out.finally(() => report(String(name), performance.now() - started));
        return out;
      };
    },
  });
}

/**
 * Peak RSS of this process and of its evaluation children (VmHWM of each child, read from
 * /proc every 100 ms while it lives; a child's last 100 ms may be missed).
 */
function sampleMemory() {
  let parent = 0;
  let child = 0;
  const sample = async () => {
    parent = Math.max(parent, process.memoryUsage().rss);
    for (const pid of await childPids()) {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) child = Math.max(child, Number(hwm[1]) * 1024);
    }
  };
  const timer = setInterval(() => void sample(), 100);
  return {
    reset: () => {
      parent = 0;
      child = 0;
    },
    peaks: () => ({ parent, child }),
    stop: () => clearInterval(timer),
  };
}

async function childPids() {
  const pids = [];
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 (after the parenthesised command name) is the parent pid.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === process.pid) pids.push(Number(entry));
  }
  return pids;
}

async function loadAverage() {
  const { loadavg } = await import('node:os');
  return loadavg().map((x) => Number(x.toFixed(2)));
}

/** Phases of the model sync, which runs beside steps in a live validator (`Validator.run`). */
const SYNC_PHASES = [
  ['syncChainReads', 'commitment and metagraph reads'],
  ['downloads', 'downloads (embedded store, hash checked)'],
  ['updaterChecks', 'updater checks (config, parameter count)'],
];

/** Phases of the step itself. */
const PHASES = [
  ['chainReads', 'chain reads (block; metagraph after the step)'],
  ['pagesAndBatches', 'pages, tokenizing, batch file'],
  ['hashing', 'hashing local models (copies)'],
  ['childStart', 'child start'],
  ['batchRead', 'batch file read (children)'],
  ['open', 'model open + backend create'],
  ['load', 'model load'],
  ['waitAhead', 'loaded ahead, waiting for its turn'],
  ['sanity', 'sanity check'],
  ['losses', 'losses (pure compute)'],
  ['scoring', 'scoring'],
  ['stateWrite', 'state write'],
];

/** The markdown of a {@link benchStep} result. */
export function renderStep(result) {
  const s = (ms) => (ms / 1000).toFixed(2);
  const mib = (bytes) => `${Math.round(bytes / 2 ** 20)} MiB`;
  const head = result.runs.map(
    (r) =>
      `N=${r.n} (${r.copies} ${r.copies === 1 ? 'copy' : 'copies'}), look-ahead ${r.lookAhead ? 'on' : 'off'}`,
  );
  const lines = [
    `Models: the demo's cycle model grown to ${result.model.layers} Llama blocks, hidden ${result.model.hidden}, MLP ${result.model.intermediate}, vocab 50257 (distilgpt2): 29.9M parameters, 120 MB of fp32 each; backend ${result.backend}; ${result.pages} pages of the demo corpus per step, the same in every run. Load average at the end: ${result.loadAverage.join(', ')}.`,
    '',
    `Seconds per phase of one step (sums over the step's evaluations; with look-ahead the start and load phases overlap the previous model's losses, so shares add up to more than 100%), with the share of the step's wall time; then the model sync before the step (in a running validator it runs beside steps) and the weights after it:`,
    '',
    `| phase | ${head.join(' | ')} |`,
    `|---|${head.map(() => '---').join('|')}|`,
    ...PHASES.map(
      ([key, label]) =>
        `| ${label} | ${result.runs.map((r) => `${s(r.phases[key])} (${Math.round((100 * r.phases[key]) / r.stepMs)}%)`).join(' | ')} |`,
    ),
    `| **step wall time** (block read → state saved, metagraph synced) | ${result.runs.map((r) => `**${s(r.stepMs)}**`).join(' | ')} |`,
    `| evaluations (distinct models) / batches | ${result.runs.map((r) => `${r.evaluations} / ${r.batchCount}`).join(' | ')} |`,
    `| **step ÷ losses of the distinct models** | ${result.runs.map((r) => `**${(r.stepMs / r.phases.losses).toFixed(2)}×**`).join(' | ')} |`,
    `| step ÷ losses of the same N without look-ahead | ${result.runs.map((r) => `${(r.stepMs / (result.runs.find((x) => x.n === r.n && !x.lookAhead)?.phases.losses ?? NaN)).toFixed(2)}×`).join(' | ')} |`,
    ...SYNC_PHASES.map(
      ([key, label]) =>
        `| before the step: ${label} | ${result.runs.map((r) => s(r.phases[key])).join(' | ')} |`,
    ),
    `| after the step: weights (set_weights, included) | ${result.runs.map((r) => s(r.phases.weights)).join(' | ')} |`,
    `| peak RSS: validator process (with the in-process devnet) / one evaluation child | ${result.runs.map((r) => `${mib(r.parentPeakRss)} / ${mib(r.childPeakRss)}`).join(' | ')} |`,
    `| failures | ${result.runs.map((r) => (r.failures.length === 0 ? 'none' : r.failures.join(', '))).join(' | ')} |`,
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '4,14' },
      pages: { type: 'string', default: '4' },
      json: { type: 'string' },
    },
  });
  const result = await benchStep({
    sizes: values.sizes.split(',').map(Number),
    pages: Number(values.pages),
    log: (m) => console.error(`[bench step] ${m}`),
  });
  if (values.json)
    await import('node:fs/promises').then((fs) => fs.writeFile(values.json, JSON.stringify(result, null, 2)));
  console.log(renderStep(result));
  process.exit(0);
}
