#!/usr/bin/env node
// `npm run bench`: throughput and memory of the loss backends side by side with a PyTorch
// baseline, against the machine's fp32 GEMM limit, plus standalone cases (tokenizers).
// Not part of the tests. See docs/BENCHMARKS.md for results and scripts/bench/cases.mjs
// for the case registry. `--device cuda` runs the loss backends on the GPU instead, on bf16
// copies of the same models, against PyTorch bf16 and the GPU's bf16 GEMM rate.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCases, DEFAULT_PYTHON } from './bench/cases.mjs';
import { numpyGemm, onnxruntimeGemm, torchGemm } from './bench/gemm.mjs';
import { describeGpu } from './bench/gpu.mjs';
import { BENCH_SHAPES, ensureBenchModel } from './bench/models.mjs';
import { renderCuda, renderLoss, summarise, writeSection } from './bench/report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `npm run bench -- [--device cpu|cuda] [--runs N] [--rounds 2] [--tokens 1024]
                 [--cases onnx,native,tfjs,torch,tokenizer,cli,step,train] [--shapes gpt2-124m,llama-100m,falcon7b-100m,gemma-100m]
                 [--python /usr/bin/python3] [--cache .pretrain/bench] [--no-build] [--no-write]
--runs: timed runs per round (5 on the CPU, 20 on CUDA). --device cuda: native, onnx (with its
CUDA EP) and PyTorch bf16 on the GPU, bf16 weights; --python: a Python whose torch has CUDA.
--cases step (not in the default set): one validator step on a devnet, timed per phase.
--cases train (not in the default set): AdamW steps of 1 × --tokens on each --shapes, tfjs
against PyTorch's AdamW on the CPU, --rounds children each (2 timed steps after a warm-up).
Results: docs/BENCHMARKS.md and <cache>/results.json (results-cuda.json).`;
const fail = (message, code = 1) => {
  console.error(`[bench] ${message}`);
  process.exit(code);
};
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      device: { type: 'string', default: 'cpu' },
      runs: { type: 'string' },
      rounds: { type: 'string', default: '2' },
      tokens: { type: 'string', default: '1024' },
      cases: { type: 'string' },
      shapes: { type: 'string', default: Object.keys(BENCH_SHAPES).join(',') },
      python: { type: 'string', default: DEFAULT_PYTHON },
      cache: { type: 'string', default: join(ROOT, '.pretrain', 'bench') },
      'no-build': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(`${error.message}\n${USAGE}`, 2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.device !== 'cpu' && args.device !== 'cuda')
  fail(`--device must be cpu or cuda, got "${args.device}"`, 2);
const cuda = args.device === 'cuda';
const registry = benchCases({ device: args.device, python: args.python });
const log = (...m) => console.error('[bench]', ...m);
const runs = Number(args.runs ?? (cuda ? 20 : 5));
const tokens = Number(args.tokens);
const wanted = new Set(
  (
    args.cases ??
    registry
      .filter((c) => !c.optIn)
      .map((c) => c.name)
      .join(',')
  ).split(','),
);
const cases = registry.filter((c) => wanted.has(c.name));
const unknownShape = args.shapes.split(',').find((s) => !(s in BENCH_SHAPES));
if (unknownShape !== undefined) {
  fail(`unknown shape "${unknownShape}" (known: ${Object.keys(BENCH_SHAPES).join(', ')})`, 2);
}

if (!args['no-build']) {
  log('building the workspace packages (tsc -b)…');
  const build = spawnSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) log('warning: the build reported errors; using what was emitted');
}
const { openModelSpec } = await import('@pretrain/core');

const lossCases = [];
for (const c of cases.filter((c) => c.kind === 'loss')) {
  const availability = await c.available();
  lossCases.push({ ...c, availability });
  log(`${c.name}: ${availability.ok ? 'available' : 'skipped'} (${availability.detail})`);
}
if (cuda) {
  // Without a GPU for native and for the PyTorch baseline there is nothing to compare: stop
  // here with the reasons (onnx without its CUDA EP is only a skipped row).
  const missing = lossCases.filter(
    (c) => !c.availability.ok && (c.name !== 'onnx' || lossCases.length === 1),
  );
  if (missing.length > 0 || lossCases.length === 0) {
    const why =
      missing.map((c) => `${c.name}: ${c.availability.detail}`).join('; ') || 'no loss case selected';
    fail(`--device cuda cannot run here: ${why}`);
  }
}

// On a shared machine any one measurement may be slowed down, so the GEMM rate is measured
// again before every round and at the end; the best of all is the limit. Only loss cases
// are compared with it: standalone cases alone (e.g. `--cases train`) skip it.
const measureGemm = async () =>
  lossCases.length === 0 ? [] : cuda ? [torchGemm(args.python)] : [await onnxruntimeGemm(), numpyGemm()];
if (lossCases.length > 0) log(`measuring the ${cuda ? 'bf16 GPU' : 'fp32'} GEMM limit…`);
const gemm = (await measureGemm()).filter(Boolean);
async function remeasureGemm() {
  for (const g of (await measureGemm()).filter(Boolean)) {
    const known = gemm.find((k) => k.library === g.library);
    if (known === undefined) gemm.push(g);
    else g.results.forEach((r, j) => (known.results[j].gflops = Math.max(known.results[j].gflops, r.gflops)));
  }
}

const shapes = [];
for (const name of args.shapes.split(',')) {
  const dir = await ensureBenchModel(args.cache, name, { dtype: cuda ? 'BF16' : 'F32' });
  const spec = await openModelSpec(dir);
  const shape = { name, dir, ...flopsOf(spec, tokens), results: [] };
  for (const c of lossCases) {
    shape.results.push(
      c.availability.ok
        ? { name: c.name, baseline: c.baseline === true, ok: true, seconds: [], peakRssBytes: 0 }
        : { name: c.name, baseline: c.baseline === true, ok: false, detail: c.availability.detail },
    );
  }
  // Rounds alternate the backends, so slow phases of a noisy machine hit all of them.
  for (let round = 0; round < Number(args.rounds); round += 1) {
    await remeasureGemm();
    for (const c of lossCases.filter((c) => c.availability.ok)) {
      const [cmd, argv] = c.command(dir, runs, tokens);
      log(`${name}: ${c.name}, round ${round + 1}…`);
      const child = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
      const result = shape.results.find((r) => r.name === c.name);
      if (child.status !== 0) {
        const lines = child.stderr.trim().split('\n');
        const reason = lines.find((l) => /error/i.test(l)) ?? lines.at(-1);
        result.failures = [...(result.failures ?? []), reason];
        log(`${name}: ${c.name} failed: ${reason}`);
        continue;
      }
      const out = JSON.parse(child.stdout.trim().split('\n').at(-1));
      result.seconds.push(...out.seconds);
      Object.assign(result, {
        loss: out.loss,
        tokens: out.tokens,
        peakRssBytes: Math.max(result.peakRssBytes, out.peakRssBytes),
        runtime: out.runtime,
      });
      if (out.deviceBytes != null) result.deviceBytes = Math.max(result.deviceBytes ?? 0, out.deviceBytes);
    }
  }
  for (const c of lossCases.filter((c) => c.availability.ok && c.sanityCommand)) {
    log(`${name}: ${c.name}, sanity check…`);
    const [cmd, argv] = c.sanityCommand(dir);
    const child = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status === 0) {
      Object.assign(
        shape.results.find((r) => r.name === c.name),
        JSON.parse(child.stdout.trim().split('\n').at(-1)),
      );
    }
  }
  for (const r of shape.results) {
    if (r.ok && r.seconds.length === 0) Object.assign(r, { ok: false, detail: `failed: ${r.failures?.[0]}` });
  }
  shapes.push(shape);
}

if (lossCases.length > 0) log(`measuring the ${cuda ? 'bf16 GPU' : 'fp32'} GEMM limit again…`);
await remeasureGemm();
// No GPU GEMM measurement (torch without CUDA, e.g. --cases native) leaves the shares blank.
const gemmLimit =
  gemm.length > 0 ? Math.max(...gemm.flatMap((g) => g.results.map((r) => r.gflops))) : undefined;
const rows = summarise(shapes, gemmLimit);
console.table(
  rows.map((r) => ({ ...r, peakRssBytes: r.peakRssBytes && `${Math.round(r.peakRssBytes / 2 ** 20)} MiB` })),
);
const machine = describeMachine();
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const sections = [];
if (cuda) {
  sections.push([
    'cuda',
    'CUDA loss backends',
    renderCuda({ rows, shapes, gemm, gemmLimit, machine, command, tokens, cases: lossCases }),
  ]);
} else if (lossCases.length > 0) {
  sections.push([
    'loss',
    'Loss backends',
    renderLoss({ rows, shapes, gemm, gemmLimit, machine, command, tokens }),
  ]);
}
const standalone = {};
for (const c of cases.filter((c) => c.kind === 'standalone')) {
  log(`${c.name}…`);
  const result = await c.run({
    cache: args.cache,
    shapes: args.shapes.split(','),
    python: args.python,
    tokens,
    rounds: Number(args.rounds),
  });
  standalone[c.name] = result;
  console.log(c.render(result));
  sections.push([
    c.name,
    `Case \`${c.name}\``,
    `Reproduce: \`${c.exactCommand ? command : `npm run bench -- --cases ${c.name}`}\` (${machine.date}).\n\n${c.render(result)}`,
  ]);
}
mkdirSync(args.cache, { recursive: true });
writeFileSync(
  join(args.cache, cuda ? 'results-cuda.json' : 'results.json'),
  JSON.stringify({ machine, gemm, gemmLimit, shapes, rows, standalone }, null, 2),
);
if (!args['no-write']) {
  for (const [name, title, body] of sections)
    await writeSection(join(ROOT, 'docs', 'BENCHMARKS.md'), name, title, body);
  log('wrote docs/BENCHMARKS.md');
}

/** Parameters, fp32 weight bytes and forward FLOPs per token of `spec` at sequence length `T`. */
function flopsOf(spec, T) {
  const numel = (v) => v.shape.reduce((a, b) => a * b, 1);
  let linear = numel(spec.lmHead);
  for (const layer of spec.layers) {
    const a = layer.attention;
    const projections = a.kind === 'separate' ? [a.q, a.k, a.v] : [a.qkv];
    for (const l of [...projections, layer.attentionOutput, layer.mlp.gate, layer.mlp.up, layer.mlp.down]) {
      if (l) linear += numel(l.weight);
    }
  }
  const attention = 4 * spec.numLayers * T * spec.numHeads * spec.headDim;
  return {
    parameters: spec.parameterCount,
    fp32WeightBytes: spec.parameterCount * 4,
    flopsPerToken: 2 * linear + attention,
  };
}

function describeMachine() {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '').split(' '));
  const ort = JSON.parse(
    readFileSync(join(ROOT, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8'),
  ).version;
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    ...(cuda ? { gpu: describeGpu() } : {}),
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    flags: ['avx2', 'fma', 'avx512f'].filter((f) => flags.has(f)).join(', '),
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    os: `Linux ${release()}`,
    node: process.versions.node,
    ort,
  };
}
