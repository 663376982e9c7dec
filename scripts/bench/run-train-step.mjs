// Child process of `npm run bench -- --cases train`: one trainer plugin, one model, AdamW
// steps on a 1 × T batch (grad-accum 1): a warm-up step, then timed steps; prints one JSON
// line in the format of bench/torch_train_step.py. A fresh process per measurement keeps
// peak RSS (VmHWM) its own; on tfjs-wasm the heap's final size is its peak (it never shrinks).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const { values } = parseArgs({
  options: {
    plugin: { type: 'string' },
    model: { type: 'string' },
    steps: { type: 'string', default: '2' },
    tokens: { type: 'string', default: '1024' },
    lr: { type: 'string' },
    'weight-decay': { type: 'string' },
  },
});

const { openModelSpec } = await import('@pretrain/core');
const { DEFAULT_ADAMW } = await import('@pretrain/backend-sdk');
const module = await import(values.plugin);
const plugin = module.default;
const spec = await openModelSpec(values.model);
const T = Number(values.tokens);
// Token ids from the same fixed LCG as run-loss-backend.mjs and torch_train_step.py.
const row = Array.from({ length: T }, (_, i) => (i * 2654435761 + 12345) % spec.vocabSize);
const settings = {
  ...DEFAULT_ADAMW,
  ...(values.lr === undefined ? {} : { lr: Number(values.lr) }),
  ...(values['weight-decay'] === undefined ? {} : { weightDecay: Number(values['weight-decay']) }),
};

const loadStart = performance.now();
const trainer = await plugin.createTrainer(spec, settings, {});
const loadSeconds = (performance.now() - loadStart) / 1000;
const losses = [];
const seconds = [];
for (let s = 0; s <= Number(values.steps); s += 1) {
  const start = performance.now();
  const result = await trainer.step([[row]]);
  // Step 0 is the warm-up (lazy initialisation, first allocations): not timed.
  if (s > 0) seconds.push((performance.now() - start) / 1000);
  losses.push(result.loss);
}
const heapBytes = module.wasmHeapBytes?.();
await trainer.dispose();
// The runtime in use only (the probe also lists why better ones were passed over).
const runtime = (await plugin.probe?.())?.detail.split(';')[0];

console.log(
  JSON.stringify({
    losses,
    loadSeconds,
    seconds,
    tokens: T,
    peakRssBytes: peakRss(),
    heapBytes,
    runtime,
    settings,
  }),
);

function peakRss() {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}
