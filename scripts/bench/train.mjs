// The `train` case of `npm run bench` (opt-in: minutes per shape): AdamW steps on one
// 1 × T batch (grad-accum 1) of each bench shape, backend tfjs (its best runtime here)
// against PyTorch's torch.optim.AdamW on the CPU, each in its own child process, rounds
// alternating them. Tokens/s is T over the median timed step; peak RSS is the child's
// VmHWM; on tfjs-wasm also the wasm heap's peak.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ADAMW } from '@pretrain/backend-sdk';
import { ensureBenchModel } from './models.mjs';

const RUN_TRAIN_STEP = fileURLToPath(new URL('./run-train-step.mjs', import.meta.url));
const TORCH_TRAIN_STEP = fileURLToPath(new URL('../../bench/torch_train_step.py', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const mib = (bytes) => `${Math.round(bytes / 2 ** 20)} MiB`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

/**
 * Run the case: `steps` timed steps after one warm-up per child, `rounds` children per
 * backend and shape. Returns raw and summarised results for {@link renderTrain}.
 */
export async function benchTrain({ cache, shapes, python, tokens, rounds = 1, steps = 2, log = () => {} }) {
  const settings = DEFAULT_ADAMW;
  const common = ['--steps', String(steps), '--tokens', String(tokens), '--lr', String(settings.lr)];
  const backends = [
    {
      name: 'tfjs',
      command: (dir) => [
        process.execPath,
        [RUN_TRAIN_STEP, '--plugin', '@pretrain/backend-tfjs', '--model', dir, ...common],
      ],
    },
    { name: 'torch', command: (dir) => [python, [TORCH_TRAIN_STEP, '--model', dir, ...common]] },
  ];
  const loadBefore = load();
  const started = new Date();
  const results = [];
  for (const shape of shapes) {
    const dir = await ensureBenchModel(cache, shape);
    const byBackend = new Map(
      backends.map((b) => [b.name, { shape, backend: b.name, seconds: [], runs: [] }]),
    );
    for (let round = 0; round < rounds; round += 1) {
      for (const b of backends) {
        const entry = byBackend.get(b.name);
        const [cmd, argv] = b.command(dir);
        log(`train ${shape}: ${b.name}, round ${round + 1} (load ${load()})…`);
        const child = spawnSync(cmd, argv, {
          cwd: ROOT,
          encoding: 'utf8',
          maxBuffer: 1 << 24,
          timeout: 60 * 60 * 1000,
        });
        if (child.status !== 0) {
          const lines = `${child.stderr ?? ''}`.trim().split('\n');
          entry.failure = lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? `exit ${child.status}`;
          log(`train ${shape}: ${b.name} failed: ${entry.failure}`);
          continue;
        }
        const out = JSON.parse(child.stdout.trim().split('\n').at(-1));
        entry.seconds.push(...out.seconds);
        entry.runs.push(out);
      }
    }
    results.push(...byBackend.values());
  }
  return {
    started: started.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    loadBefore,
    loadAfter: load(),
    tokens,
    steps,
    rounds,
    settings,
    results,
  };
}

/** The `train` section as markdown. */
export function renderTrain(result) {
  const { tokens, steps, rounds, settings } = result;
  const lines = [
    `AdamW steps on one 1 × ${tokens} batch (grad-accum 1) of the bench models (random weights, the loss case's tokens), ` +
      `lr ${settings.lr}, betas ${settings.betas.join('/')}, eps ${settings.eps}, weight decay ${settings.weightDecay}, no clipping. ` +
      `Each backend and shape runs in its own process (${rounds} per backend and shape, alternating): one warm-up step, then ${steps} timed steps; ` +
      'tokens/s is the batch\'s tokens over the median timed step. Peak RSS is the whole child (VmHWM); "wasm heap" is how far ' +
      'tfjs-wasm\'s heap grew (its peak: it never shrinks), against its 4 GiB limit. "Loss" is the batch\'s loss before step 1 ' +
      'and before step 2 (after one update): both backends start from the same weights and must agree.',
    '',
    `Load average (1, 5, 15 min): ${result.loadBefore} at the start (${result.started}), ${result.loadAfter} at the end.`,
    '',
    '| model | backend | runtime | tokens/s: median (best) | s/step (median) | × PyTorch (medians) | peak RSS | wasm heap | loss before step 1, 2 |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of result.results) {
    const head = `| ${r.shape} | ${r.backend}`;
    if (r.seconds.length === 0) {
      lines.push(`${head} | failed: ${r.failure ?? 'no timed step'} | | | | | | |`);
      continue;
    }
    const baseline = result.results.find((x) => x.shape === r.shape && x.backend === 'torch');
    const s = median(r.seconds);
    const ratio =
      r.backend === 'torch' || baseline === undefined || baseline.seconds.length === 0
        ? '—'
        : `${(median(baseline.seconds) / s).toFixed(2)}×`;
    const first = r.runs[0];
    const rss = Math.max(...r.runs.map((x) => x.peakRssBytes));
    const heap = first.heapBytes == null ? '—' : mib(Math.max(...r.runs.map((x) => x.heapBytes)));
    lines.push(
      `${head} | ${first.runtime ?? ''} | ${(tokens / s).toFixed(1)} (${(tokens / Math.min(...r.seconds)).toFixed(1)}) | ` +
        `${s.toFixed(1)} | ${ratio} | ${mib(rss)} | ${heap} | ${first.losses[0].toFixed(5)}, ${first.losses[1].toFixed(5)} |`,
    );
  }
  return lines.join('\n');
}
