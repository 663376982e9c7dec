// The registry of `npm run bench` cases. A `loss` case runs one loss backend in a child
// process per model shape (so each peak RSS is its own) and prints one JSON line:
// { loss, loadSeconds, seconds: number[], tokens, peakRssBytes, runtime?, deviceBytes? }.
// A `standalone` case runs in-process and renders its own table. To add a backend,
// append `pluginCase(name, package)`; to add another measurement, a standalone case.
// `benchCases({ device: 'cuda' })` is the same registry for the GPU: each loss case then
// runs with `device: 'cuda'` and says, before anything runs, whether it can.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchStep, renderStep } from './step.mjs';
import { benchTrain, renderTrain } from './train.mjs';

const RUN_LOSS_BACKEND = fileURLToPath(new URL('./run-loss-backend.mjs', import.meta.url));
const TORCH_BASELINE = fileURLToPath(new URL('../../bench/torch_baseline.py', import.meta.url));
/** The Python the PyTorch cases run with unless `--python` names another. */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/**
 * A loss case for a `LossBackendPlugin` package, available when it imports and its probe
 * agrees; on `device: 'cuda'`, also when `cudaCheck(module)` (given the package's exports)
 * returns `{ ok, detail }` with `ok`. A package without a `cudaCheck` has no CUDA case.
 */
export function pluginCase(name, packageName, label, { device = 'cpu', cudaCheck } = {}) {
  const deviceArgs = device === 'cpu' ? [] : ['--device', device];
  return {
    kind: 'loss',
    name,
    label,
    async available() {
      try {
        const module = await import(packageName);
        const plugin = module.default;
        const probe = plugin.probe ? await plugin.probe() : { available: true, detail: '' };
        if (!probe.available) return { ok: false, detail: probe.detail };
        if (device === 'cpu') return { ok: true, detail: probe.detail };
        if (cudaCheck === undefined)
          return { ok: false, detail: `the bench has no ${device} case for ${name}` };
        return cudaCheck(module);
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
        ...deviceArgs,
      ],
    ],
    // The validator's sanity check (greedy continuation), timed in its own process.
    sanityCommand: (model) => [
      process.execPath,
      [RUN_LOSS_BACKEND, '--plugin', packageName, '--model', model, '--sanity', ...deviceArgs],
    ],
  };
}

/**
 * The PyTorch baseline: our plain eager forward pass (bench/torch_baseline.py), fp32 on
 * the CPU, or bf16 on CUDA (weights and activations bf16, logits upcast for the loss).
 */
export function torchCase({ device = 'cpu', python = DEFAULT_PYTHON } = {}) {
  const cuda = device === 'cuda';
  return {
    kind: 'loss',
    name: 'torch',
    label: cuda
      ? 'PyTorch eager, bf16 on CUDA (bench/torch_baseline.py)'
      : 'PyTorch eager (bench/torch_baseline.py)',
    baseline: true,
    async available() {
      const script = cuda
        ? 'import torch; ok = torch.cuda.is_available(); ' +
          'print(torch.__version__, torch.version.cuda, torch.cuda.get_device_name(0) if ok else "-", ' +
          'ok and torch.cuda.is_bf16_supported(), sep="|")'
        : 'import torch; print(torch.__version__)';
      const probe = spawnSync(python, ['-c', script], { encoding: 'utf8' });
      if (probe.status !== 0) {
        return {
          ok: false,
          detail: `${python} cannot import torch (apt-get install python3-torch, or --python)`,
        };
      }
      if (!cuda) return { ok: true, detail: `torch ${probe.stdout.trim()} (${python})` };
      const [version, cudaVersion, gpu, bf16] = probe.stdout.trim().split('|');
      if (cudaVersion === 'None')
        return { ok: false, detail: `torch ${version} in ${python} is built without CUDA` };
      if (gpu === '-')
        return { ok: false, detail: `torch ${version} (CUDA ${cudaVersion}) sees no CUDA device` };
      if (bf16 !== 'True') return { ok: false, detail: `torch ${version}: ${gpu} has no bf16 support` };
      return { ok: true, detail: `torch ${version}, CUDA ${cudaVersion}, ${gpu} (${python})` };
    },
    command: (model, runs, tokens) => [
      python,
      [
        TORCH_BASELINE,
        '--model',
        model,
        '--runs',
        String(runs),
        '--tokens',
        String(tokens),
        ...(cuda ? ['--device', 'cuda', '--dtype', 'bf16'] : []),
      ],
    ],
  };
}

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

/** Start-up time of the `pretrain` binary (scripts/bench/cli.mjs). */
export const cliCase = {
  kind: 'standalone',
  name: 'cli',
  async run() {
    const { benchCli } = await import('./cli.mjs');
    return benchCli();
  },
  render(result) {
    return [
      `Wall time of a fresh process, ${result.samples} runs each, interleaved:`,
      '',
      '| command | wall, median (s) | wall, min (s) | CPU user+sys, median (s) |',
      '|---|---|---|---|',
      ...result.rows.map((r) => `| \`${r.what}\` | ${r.medianSeconds} | ${r.minSeconds} | ${r.cpuSeconds} |`),
    ].join('\n');
  },
};

/** One whole validator step on a devnet, timed per phase (scripts/bench/step.mjs). */
export const stepCase = {
  kind: 'standalone',
  name: 'step',
  // Minutes of devnet and evaluations: only when asked for (`--cases step`).
  optIn: true,
  run: () => benchStep({ log: (m) => console.error(`[bench] ${m}`) }),
  render: renderStep,
};

/**
 * Training throughput (scripts/bench/train.mjs): AdamW steps of 1 × T on each shape, tfjs
 * against PyTorch's AdamW on the CPU, in child processes. Minutes per shape: opt-in.
 */
export const trainCase = {
  kind: 'standalone',
  name: 'train',
  optIn: true,
  // Its shapes and rounds matter: the section quotes the command as run.
  exactCommand: true,
  run: ({ cache, shapes, python, tokens, rounds }) =>
    benchTrain({ cache, shapes, python, tokens, rounds, log: (m) => console.error(`[bench] ${m}`) }),
  render: renderTrain,
};

/** Native on CUDA needs a CUDA build of the addon and a usable device. */
const nativeCuda = ({ loadAddon }) => {
  const { addon, reason } = loadAddon();
  if (addon === undefined) return { ok: false, detail: reason };
  const cuda = addon.cudaDevices();
  return cuda.devices > 0
    ? { ok: true, detail: `C++ addon on CUDA (${cuda.devices} usable device(s))` }
    : { ok: false, detail: cuda.reason };
};

/** onnx on CUDA needs onnxruntime-node's CUDA execution provider. */
const onnxCuda = ({ cudaProvider, CUDA_INSTALL_HINT }) =>
  cudaProvider().installed
    ? { ok: true, detail: 'onnxruntime-node CUDA EP' }
    : { ok: false, detail: `no CUDA EP in onnxruntime-node (${CUDA_INSTALL_HINT})` };

/**
 * Every case for `device`, in report order. On `cuda` the registry holds the loss cases
 * that can run there (native, onnx, PyTorch bf16); the standalone cases are CPU-only.
 */
export function benchCases({ device = 'cpu', python = DEFAULT_PYTHON } = {}) {
  if (device === 'cuda') {
    return [
      pluginCase('native', '@pretrain/backend-native', '@pretrain/backend-native (C++ addon, cuBLAS)', {
        device,
        cudaCheck: nativeCuda,
      }),
      pluginCase('onnx', '@pretrain/backend-onnx', '@pretrain/backend-onnx (onnxruntime-node, CUDA EP)', {
        device,
        cudaCheck: onnxCuda,
      }),
      torchCase({ device, python }),
    ];
  }
  return [
    pluginCase('onnx', '@pretrain/backend-onnx', '@pretrain/backend-onnx (onnxruntime-node, CPU EP)'),
    pluginCase('native', '@pretrain/backend-native', '@pretrain/backend-native (C++ addon, OpenBLAS)'),
    pluginCase(
      'tfjs',
      '@pretrain/backend-tfjs',
      '@pretrain/backend-tfjs (best tfjs runtime found: tfjs-node, else wasm SIMD)',
    ),
    torchCase({ python }),
    tokenizerCase,
    cliCase,
    stepCase,
    trainCase,
  ];
}
