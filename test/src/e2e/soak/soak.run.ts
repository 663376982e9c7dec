import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { ChainClient } from '@pretrain/core';
import { HubModelStore } from '@pretrain/huggingface';
import { startHubTestServer, type HubTestServer } from '@pretrain/huggingface/testing';
import { startDevnet, type Devnet, type DevnetWallet } from '@pretrain/devnet';
import { DEMO_CORPUS } from '../../../../packages/cli/src/demo/run-demo.js';
import { connectMiners, writeCorpusModels } from '../support/corpus-world.js';
import { freePort, runPretrain, type CliProcess } from '../support/validator-process.js';
import { sampleResources, type ResourceSample } from './resource-sampler.js';
import { SoakMiners, VALIDATOR_DOWNLOADS, VALIDATOR_READS, type PushKind } from './soak-miners.js';
import { judgeTrends, type Series } from './trend.js';
import { plotSvg } from './svg-plot.js';

// Chopsticks logs every block unless told otherwise (read when the devnet first loads it).
process.env.LOG_LEVEL ??= 'fatal';

// Set by scripts/soak.mjs (`npm run soak -- --minutes N --out DIR`).
const MINUTES = Number(process.env.SOAK_MINUTES ?? '10');
const OUT = process.env.SOAK_OUT ?? join(process.cwd(), 'soak-out');
const RUN_MS = MINUTES * 60_000;
// Resources settle (caches fill, the first models arrive) before growth means a leak.
const WARMUP_MS = Number(process.env.SOAK_WARMUP_MINUTES ?? Math.max(5, MINUTES / 4)) * 60_000;
// Cadences are generous: the soak must pass on a loaded machine, where a step can take minutes.
const PUSH_EVERY_MS = 60_000;
const FAULT_EVERY_MS = Math.max(4 * 60_000, RUN_MS / 12);
const HF_TOKEN = 'hf_soak_write_token';
const TRIGGER_PLUGIN = fileURLToPath(new URL('../support/trigger-plugin.mjs', import.meta.url));
const PUSH_CYCLE: readonly PushKind[] = ['fresh', 'copy', 'fresh', 'broken', 'fresh', 'crash'];
type FaultKind = 'chain-restart' | 'hub-5xx' | 'hang-model' | 'hub-timeout' | 'corrupt-download';
const FAULT_CYCLE: readonly FaultKind[] = [
  'chain-restart',
  'hub-5xx',
  'hang-model',
  'hub-timeout',
  'corrupt-download',
];

/** Growth allowed per hour after warm-up. */
const SERIES: readonly Series[] = [
  { name: 'rssMiB', unit: 'MiB', boundPerHour: 64 },
  { name: 'heapMiB', unit: 'MiB', boundPerHour: 32 },
  { name: 'fds', unit: 'count', boundPerHour: 12 },
  // One evaluation child, and one more while the next model loads ahead (issue 18).
  { name: 'children', unit: 'count', boundPerHour: 1, cap: 2 },
  { name: 'modelDirMiB', unit: 'MiB', boundPerHour: 128 },
];

interface Row extends ResourceSample {
  readonly t: number;
  readonly step: number;
  readonly stepMs: number;
}

interface FaultRecord {
  readonly kind: FaultKind;
  readonly at: number;
  readonly stepBefore: number;
  survived?: boolean;
  note?: string;
}

let root: string;
let devnet: Devnet | undefined;
let hub: HubTestServer | undefined;
let validator: CliProcess | undefined;
let chain: ChainClient | undefined;

afterAll(async () => {
  validator?.killHard();
  await chain?.close().catch(() => undefined);
  await devnet?.stop();
  await hub?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

it(
  `soak: a validator for ${MINUTES} min under pushes and faults keeps flat resources and loses no step`,
  async () => {
    await mkdir(OUT, { recursive: true });
    // A line per event while it runs, to watch a long soak (`tail -f <out>/progress.log`).
    const progress = (text: string) =>
      appendFile(join(OUT, 'progress.log'), `${new Date().toISOString()} ${text}\n`).catch(() => undefined);
    await writeFile(join(OUT, 'progress.log'), '');
    root = await mkdtemp(join(tmpdir(), 'pretrain-soak-'));
    const dataDir = join(root, 'devnet');
    const modelDir = join(root, 'validator');
    const port = await freePort();
    const metricsPort = await freePort();
    const startChain = () => startDevnet({ miners: 4, validators: 1, port, dataDir, blockTimeMs: 2000 });
    devnet = await startChain();
    hub = await startHubTestServer({ token: HF_TOKEN });
    const bases = await writeCorpusModels(join(root, 'bases'));
    const connected = await connectMiners(devnet);
    chain = connected.chain;
    const signers = connected.signers;
    const store = new HubModelStore({
      hubUrl: hub.url,
      accessToken: HF_TOKEN,
      retry: { attempts: 2, baseDelayMs: 100 },
    });
    await mkdir(join(root, 'work'));
    const miners = new SoakMiners({
      chain,
      store,
      netuid: devnet.netuid,
      signers,
      bases,
      workDir: join(root, 'work'),
    });
    await Promise.all(signers.map(() => miners.push('fresh')));
    void progress(`initial pushes ${JSON.stringify(miners.pushes)}`);

    const self = devnet.wallets.find((w: DevnetWallet) => w.role === 'validator')!;
    const seconds = (flag: string, value: number) => [flag, String(value)];
    validator = runPretrain(
      [
        'validate',
        ...['--network', devnet.endpoint, '--wallet', self.wallet, '--hotkey', self.hotkey],
        ...['--wallet-path', devnet.walletPath, '--model-store', `hf:${hub.url}`],
        ...['--dataset', `local:${DEMO_CORPUS}`, '--model-dir', modelDir, '--backend', TRIGGER_PLUGIN],
        ...['--pages-per-eval', '1', '--blocks-per-epoch', '1', '--log-format', 'json'],
        ...['--metrics-port', String(metricsPort)],
        ...seconds('--eval-timeout', 120),
        // The hang fault spins while loading: the 1200 s default would stall the soak.
        ...seconds('--load-timeout', 60),
        ...seconds('--step-timeout', 900),
        ...seconds('--chain-update-cadence', 30),
        ...seconds('--top-miner-interval', 120),
        ...seconds('--idle-wait', 5),
        ...seconds('--weights-poll', 5),
        ...seconds('--metagraph-timeout', 180),
        ...seconds('--clean-interval', 60),
        ...seconds('--clean-first-delay', 120),
        ...seconds('--clean-grace', 60),
      ],
      process.cwd(),
    );
    const pid = validator.child.pid!;
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;

    const start = Date.now();
    const deadline = start + RUN_MS;
    const rows: Row[] = [];
    const faults: FaultRecord[] = [];
    let minersPausedUntil = 0;
    const sampleErrors: string[] = [];
    let seen = 0;
    const steps = () => validator!.events.filter((e) => e.event === 'step');
    const lastStep = () => (steps().at(-1)?.step as number | undefined) ?? 0;

    const sampleNewSteps = async () => {
      const done = steps();
      for (; seen < done.length; seen++) {
        const event = done[seen]!;
        const sample = await sampleResources(pid, metricsUrl, modelDir);
        void progress(`sample step=${String(event.step)} ${JSON.stringify(sample)}`);
        rows.push({
          t: Date.now() - start,
          step: event.step as number,
          stepMs: event.durationMs as number,
          ...sample,
        });
      }
    };
    const injectFault = async (kind: FaultKind) => {
      const record: FaultRecord = { kind, at: Date.now() - start, stepBefore: lastStep() };
      faults.push(record);
      if (kind === 'chain-restart') {
        minersPausedUntil = Infinity;
        await devnet!.stop();
        await new Promise((resolve) => setTimeout(resolve, 5000));
        devnet = await startChain();
        record.note = `resumed=${devnet.resumed}`;
        minersPausedUntil = Date.now() + 30_000;
      } else if (kind === 'hub-5xx') {
        // Only reads pinned to a commit fail: the validator's, never a miner's upload.
        hub!.inject({ path: VALIDATOR_READS, status: 503, times: 6 });
        hub!.inject({ path: VALIDATOR_DOWNLOADS, status: 502, times: 4 });
        await miners.push('fresh');
      } else if (kind === 'hub-timeout') {
        hub!.inject({ path: VALIDATOR_READS, delayMs: 90_000, times: 2 });
        hub!.inject({ path: VALIDATOR_DOWNLOADS, stallAfterBytes: 1024, times: 1 });
        await miners.push('fresh');
      } else if (kind === 'hang-model') {
        record.note = JSON.stringify(await miners.push('hang'));
      } else {
        record.note = JSON.stringify(await miners.push('corrupt'));
      }
    };

    let ended = false;
    void validator.exited.then(() => (ended = true));
    const running = () => Date.now() < deadline && !ended;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Three loops at once, so that a slow push or a chain restart never delays a sample.
    const sampling = (async () => {
      while (running()) {
        // A validator gone from /proc ends the soak as a failure (aliveAtEnd), not with a throw here.
        await sampleNewSteps().catch((error: Error) => sampleErrors.push(error.message));
        await sleep(1000);
      }
    })();
    const pushing = (async () => {
      for (let i = 0; running(); i++) {
        await sleep(PUSH_EVERY_MS);
        while (running() && Date.now() < minersPausedUntil) await sleep(5000);
        if (running())
          void progress(`push ${JSON.stringify(await miners.push(PUSH_CYCLE[i % PUSH_CYCLE.length]!))}`);
      }
    })();
    const faulting = (async () => {
      await sleep(Math.min(FAULT_EVERY_MS, 3 * 60_000));
      for (let i = 0; running(); i++) {
        const kind = FAULT_CYCLE[i % FAULT_CYCLE.length]!;
        void progress(`fault ${kind}`);
        await injectFault(kind).catch((error: Error) => {
          faults.push({
            kind,
            at: Date.now() - start,
            stepBefore: lastStep(),
            note: `injection failed: ${error.message}`,
          });
        });
        const next = Date.now() + FAULT_EVERY_MS;
        while (running() && Date.now() < next) await sleep(2000);
      }
    })();
    await Promise.all([sampling, pushing, faulting]);
    // The last fault gets its chance to be survived: one more step after it (a step can take minutes here).
    const lastFaultStep = Math.max(0, ...faults.map((f) => f.stepBefore));
    const graceEnd = Date.now() + 10 * 60_000;
    while (!ended && lastStep() <= lastFaultStep && Date.now() < graceEnd) {
      await sampleNewSteps();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const aliveAtEnd = !ended;
    await sampleNewSteps();
    validator.child.kill('SIGTERM');
    const exit = await Promise.race([
      validator.exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('no exit within 180 s'), 180_000)),
    ]);

    // A fault is survived when a step completed after it.
    const stepTimes = rows.map((r) => r.t);
    for (const fault of faults)
      fault.survived = stepTimes.some((t) => t > fault.at) && rows.some((r) => r.step > fault.stepBefore);

    // Every step started is finished, once, in order (the last may be cut by the stop).
    const started = validator.events.filter((e) => e.event === 'step-start').map((e) => e.step as number);
    const finished = steps().map((e) => e.step as number);
    const lost = started.filter((n, i) => !finished.includes(n) && i < started.length - 1);
    const outOfOrder = finished.filter((n, i) => i > 0 && n !== finished[i - 1]! + 1);

    // Every stderr line is one JSON object of our logger.
    const stderrLines = validator
      .stderr()
      .split('\n')
      .filter((l) => l.length > 0);
    const notJson = stderrLines.filter((line) => {
      try {
        const parsed = JSON.parse(line) as unknown;
        return typeof parsed !== 'object' || parsed === null || !('level' in parsed) || !('msg' in parsed);
      } catch {
        return true;
      }
    });
    const origins = new Map<string, number>();
    for (const line of stderrLines) {
      try {
        const origin = (JSON.parse(line) as { origin?: string }).origin;
        if (origin !== undefined) origins.set(origin, (origins.get(origin) ?? 0) + 1);
      } catch {
        // Counted in notJson.
      }
    }

    const times = rows.map((r) => r.t);
    const values = Object.fromEntries(
      SERIES.map((s) => [s.name, rows.map((r) => r[s.name as keyof Row] as number)]),
    );
    const verdicts = judgeTrends(times, values, SERIES, WARMUP_MS);
    const header = ['t_ms', 'step', 'step_ms', 'rss_mib', 'heap_mib', 'fds', 'children', 'model_dir_mib'];
    const csv = [
      header.join(','),
      ...rows.map((r) =>
        [
          r.t,
          r.step,
          r.stepMs,
          r.rssMiB.toFixed(1),
          r.heapMiB.toFixed(1),
          r.fds,
          r.children,
          r.modelDirMiB.toFixed(1),
        ].join(','),
      ),
    ].join('\n');
    const minutes = times.map((t) => t / 60_000);
    const svg = plotSvg(
      `pretrain validate soak: ${rows.length} steps in ${((Date.now() - start) / 60_000).toFixed(0)} min (dashed: end of warm-up)`,
      minutes,
      'min',
      [
        { label: 'RSS (MiB)', values: values.rssMiB! },
        { label: 'V8 heap used (MiB)', values: values.heapMiB! },
        { label: 'open file descriptors', values: values.fds! },
        { label: 'live child processes at step end', values: values.children! },
        { label: 'model directory (MiB)', values: values.modelDirMiB! },
      ],
      WARMUP_MS / 60_000,
    );
    const summary = {
      minutes: (Date.now() - start) / 60_000,
      plannedMinutes: MINUTES,
      warmupMinutes: WARMUP_MS / 60_000,
      steps: finished.length,
      lostSteps: lost,
      outOfOrder,
      aliveAtEnd,
      exit,
      pushes: miners.pushes.length,
      pushesFailed: miners.pushes.filter((p) => !p.ok).length,
      pushKinds: Object.fromEntries(
        PUSH_CYCLE.concat('hang', 'corrupt').map((k) => [
          k,
          miners.pushes.filter((p) => p.kind === k).length,
        ]),
      ),
      faults,
      sampleErrors,
      stderrLines: stderrLines.length,
      notJsonLines: notJson.length,
      origins: Object.fromEntries(origins),
      trends: verdicts,
    };
    await writeFile(join(OUT, 'soak.csv'), `${csv}\n`);
    await writeFile(join(OUT, 'soak.svg'), svg);
    await writeFile(join(OUT, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    await writeFile(join(OUT, 'pushes.json'), `${JSON.stringify(miners.pushes, null, 2)}\n`);
    await writeFile(join(OUT, 'validator-stderr.log'), validator.stderr());
    await writeFile(join(OUT, 'not-json.log'), notJson.join('\n'));

    expect(aliveAtEnd).toBe(true);
    expect(exit).toBe(0);
    expect(finished.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(outOfOrder).toEqual([]);
    expect(notJson).toEqual([]);
    expect(faults.filter((f) => !f.survived)).toEqual([]);
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
  },
  RUN_MS + 30 * 60_000,
);
