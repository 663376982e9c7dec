// The registry of `npm run bench` cases. A `loss` case runs one loss backend in a child
// process per model shape (so each peak RSS is its own) and prints one JSON line:
// { loss, loadSeconds, seconds: number[], tokens, peakRssBytes, runtime? }.
// A `standalone` case runs in-process and renders its own table. To add a backend,
// append `pluginCase(name, package)`; to add another measurement, a standalone case.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUN_LOSS_BACKEND = fileURLToPath(new URL('./run-loss-backend.mjs', import.meta.url));
const TORCH_BASELINE = fileURLToPath(new URL('../../bench/torch_baseline.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

/** A loss case for a `LossBackendPlugin` package, available when it imports and its probe agrees. */
export function pluginCase(name, packageName, label) {
  return {
    kind: 'loss',
    name,
    label,
    async available() {
      try {
        const plugin = (await import(packageName)).default;
        const probe = plugin.probe ? await plugin.probe() : { available: true, detail: '' };
        return probe.available ? { ok: true, detail: probe.detail } : { ok: false, detail: probe.detail };
      } catch (error) {
        return { ok: false, detail: `cannot import ${packageName}: ${error.message.split('\n')[0]}` };
      }
    },
    command: (model, runs, tokens) => [
      process.execPath,
      [
        RUN_LOSS_BACKEND,
        '--plugin',
        packageName,
        '--model',
        model,
        '--runs',
        String(runs),
        '--tokens',
        String(tokens),
      ],
    ],
    // The validator's sanity check (greedy continuation), timed in its own process.
    sanityCommand: (model) => [
      process.execPath,
      [RUN_LOSS_BACKEND, '--plugin', packageName, '--model', model, '--sanity'],
    ],
  };
}

/** The PyTorch baseline: our plain eager forward pass (bench/torch_baseline.py). */
export const torchCase = {
  kind: 'loss',
  name: 'torch',
  label: 'PyTorch eager (bench/torch_baseline.py)',
  baseline: true,
  async available() {
    const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    return probe.status === 0
      ? { ok: true, detail: `torch ${probe.stdout.trim()} (${PYTHON})` }
      : { ok: false, detail: `${PYTHON} cannot import torch (apt-get install python3-torch)` };
  },
  command: (model, runs, tokens) => [
    PYTHON,
    [TORCH_BASELINE, '--model', model, '--runs', String(runs), '--tokens', String(tokens)],
  ],
};

/** The tokenizer throughput case of @pretrain/huggingface (scripts/bench/tokenizer.mjs). */
export const tokenizerCase = {
  kind: 'standalone',
  name: 'tokenizer',
  async run() {
    const { benchTokenizers } = await import('./tokenizer.mjs');
    return benchTokenizers();
  },
  render(result) {
    const lines = [
      `Encoding the first ${result.megabytes} MB of War and Peace, best of ${result.runs} runs:`,
      '',
      '| tokenizer | load (s) | MB/s | tokens/s |',
      '|---|---|---|---|',
      ...result.rows.map(
        (r) =>
          `| ${r.tokenizer} | ${r.loadSeconds} | ${r.megabytesPerSecond} | ${r.tokensPerSecond.toLocaleString('en')} |`,
      ),
    ];
    return lines.join('\n');
  },
};

/** Every case, in report order. */
export const BENCH_CASES = [
  pluginCase('onnx', '@pretrain/backend-onnx', '@pretrain/backend-onnx (onnxruntime-node, CPU EP)'),
  pluginCase('native', '@pretrain/backend-native', '@pretrain/backend-native (C++ addon, OpenBLAS)'),
  pluginCase(
    'tfjs',
    '@pretrain/backend-tfjs',
    '@pretrain/backend-tfjs (best tfjs runtime found: tfjs-node, else wasm SIMD)',
  ),
  torchCase,
  tokenizerCase,
];
