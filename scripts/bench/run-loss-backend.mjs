// Child process of `npm run bench`: load one model in one loss backend plugin, time
// `losses()` on a 1 × T batch (or, with --sanity, the greedy sanity check), print one
// JSON line. A fresh process per measurement keeps peak RSS (VmHWM) its own. With
// `--device cuda` the backend is created on the GPU and its device memory is reported too.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const { values } = parseArgs({
  options: {
    plugin: { type: 'string' },
    model: { type: 'string' },
    runs: { type: 'string', default: '5' },
    tokens: { type: 'string', default: '1024' },
    sanity: { type: 'boolean', default: false },
    device: { type: 'string', default: 'cpu' },
  },
});
const cuda = values.device === 'cuda';

const { openModelSpec } = await import('@pretrain/core');
const plugin = (await import(values.plugin)).default;
const spec = await openModelSpec(values.model);
const T = Number(values.tokens);
// Token ids from a fixed LCG: the same batch for every backend.
const row = Array.from({ length: T }, (_, i) => (i * 2654435761 + 12345) % spec.vocabSize);

const loadStart = performance.now();
const backend = await plugin.createLossBackend(cuda ? { device: 'cuda' } : {});
const model = await backend.load(spec);
const loadSeconds = (performance.now() - loadStart) / 1000;

if (values.sanity) {
  // The validator's sanity check alone: 20 greedy tokens after each of two 100-token prompts.
  const start = performance.now();
  await model.greedy([row.slice(0, 100), row.slice(100, 200)], 20, { excludeTokens: spec.eosTokenIds });
  const seconds = (performance.now() - start) / 1000;
  await model.dispose();
  await backend.dispose();
  console.log(JSON.stringify({ sanitySeconds: seconds, sanityPeakRssBytes: peakRss() }));
  process.exit(0);
}

const [warmLoss] = await model.losses([[row]]); // first run also finishes lazy initialisation
const seconds = [];
for (let i = 0; i < Number(values.runs); i += 1) {
  const start = performance.now();
  await model.losses([[row]]);
  seconds.push((performance.now() - start) / 1000);
}
// Read while the model and its buffers are still allocated (backends keep them between calls).
const deviceBytes = cuda ? (await import('./gpu.mjs')).deviceBytesOf(process.pid) : undefined;
await model.dispose();
await backend.dispose();

console.log(
  JSON.stringify({
    loss: warmLoss,
    loadSeconds,
    seconds,
    tokens: T,
    peakRssBytes: peakRss(),
    runtime: backend.capabilities.runtime,
    deviceBytes,
  }),
);

function peakRss() {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}
