// Turning bench results into tables: the console and docs/BENCHMARKS.md. Each case owns
// a block between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`; the rest of
// the file (other sections written by hand) is kept as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const mb = (bytes) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** One summary row per (shape, loss case) from the raw child results. */
export function summarise(shapes, gemmLimit) {
  const rows = [];
  for (const shape of shapes) {
    const baseline = shape.results.find((r) => r.baseline && r.ok);
    const tokensPerSecond = (r) => r.tokens / median(r.seconds);
    for (const r of shape.results) {
      if (!r.ok) {
        rows.push({ shape: shape.name, case: r.name, skipped: r.detail });
        continue;
      }
      const tps = tokensPerSecond(r);
      // The GEMM limit is a best-of measurement, so the share compares the best run with it.
      const bestTps = r.tokens / Math.min(...r.seconds);
      const gflops = (bestTps * shape.flopsPerToken) / 1e9;
      rows.push({
        shape: shape.name,
        case: r.name,
        tokensPerSecond: tps,
        bestTokensPerSecond: bestTps,
        medianSeconds: median(r.seconds),
        runs: r.seconds.length,
        gflops,
        gemmShare: gflops / gemmLimit,
        vsBaseline: baseline && !r.baseline ? tps / tokensPerSecond(baseline) : undefined,
        peakRssBytes: r.peakRssBytes,
        rssOverWeights: r.peakRssBytes / shape.fp32WeightBytes,
        loss: r.loss,
        sanitySeconds: r.sanitySeconds,
        sanityPeakRssBytes: r.sanityPeakRssBytes,
        failures: r.failures?.length ?? 0,
      });
    }
  }
  return rows;
}

/** The loss section as markdown. */
export function renderLoss({ rows, shapes, gemm, gemmLimit, machine, command, tokens }) {
  const fmt = (x, d = 0) => (x === undefined ? '—' : x.toFixed(d));
  const lines = [
    `Reproduce: \`${command}\` (${machine.date}).`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores${machine.flags ? ` (${machine.flags})` : ''}, ` +
      `${machine.memory}, ${machine.os}; Node ${machine.node}, onnxruntime-node ${machine.ort}.`,
    '',
    '### fp32 GEMM limit',
    '',
    '| library | shape M×K×N | GFLOP/s (best of 10 runs, measured before every round and at the end) |',
    '|---|---|---|',
    ...gemm.flatMap((g) => g.results.map((r) => `| ${g.library} | ${r.shape} | ${r.gflops.toFixed(1)} |`)),
    '',
    `Limit used below: **${gemmLimit.toFixed(1)} GFLOP/s** (the best of these).`,
    '',
    `### Loss of one 1 × ${tokens} batch (random weights, deterministic tokens)`,
    '',
    'FLOPs per token = 2 × (linear + head weights) + 4 × layers × T × (heads × head dim). ' +
      'Each backend runs in its own process; rounds alternate the backends; tokens/s is the median over all timed runs. ' +
      'Peak RSS is the whole child process (VmHWM) running the loss only. ' +
      '"Sanity check" is 20 greedy tokens after each of two 100-token prompts (the validator\'s check), in a separate process.',
    '',
    '| model | params | GFLOP/token | backend | tokens/s: median (best) | s/batch (median) | GFLOP/s (best run) | share of GEMM limit (best run) | × baseline (medians) | peak RSS | RSS / fp32 weights | loss | sanity check: s, peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const shape = shapes.find((s) => s.name === r.shape);
    const head = `| ${r.shape} | ${(shape.parameters / 1e6).toFixed(1)}M | ${(shape.flopsPerToken / 1e9).toFixed(3)} | ${r.case}`;
    if (r.skipped) lines.push(`${head} | skipped: ${r.skipped} | | | | | | | | |`);
    else
      lines.push(
        `${head} | ${fmt(r.tokensPerSecond)} (${fmt(r.bestTokensPerSecond)}) | ${fmt(r.medianSeconds, 2)} | ${fmt(r.gflops, 1)} | ${fmt(r.gemmShare * 100)}% | ` +
          `${r.vsBaseline === undefined ? '—' : `${r.vsBaseline.toFixed(2)}×`} | ${mb(r.peakRssBytes)} | ${r.rssOverWeights.toFixed(2)} | ${r.loss.toFixed(5)} | ${r.sanitySeconds === undefined ? '—' : `${r.sanitySeconds.toFixed(2)} s, ${mb(r.sanityPeakRssBytes)}`} |`,
      );
  }
  return lines.join('\n');
}

/**
 * Replace (or append) the block of `name` in `file`, keeping everything else, and format
 * the file with the repo's prettier settings (so `npm run lint` stays clean).
 */
export async function writeSection(file, name, title, body) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n## ${title}\n\n${body}\n${end}`;
  let text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench`; sections between `bench:` markers are regenerated, the rest is kept.\n';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  text =
    a >= 0 && b > a
      ? text.slice(0, a) + block + text.slice(b + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
}

/** The CUDA section (`npm run bench -- --device cuda`) as markdown. */
export function renderCuda({ rows, shapes, gemm, gemmLimit, machine, command, tokens, cases }) {
  const fmt = (x, d = 0) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
  const lines = [
    `Reproduce: \`${command}\` (${machine.date}).`,
    '',
    `GPU: ${machine.gpu ?? 'not described (nvidia-smi missing)'}. Host: ${machine.cpu}, ${machine.cores} cores, ` +
      `${machine.memory}, ${machine.os}; Node ${machine.node}, onnxruntime-node ${machine.ort}.`,
    '',
    'Cases:',
    '',
    ...cases.map(
      (c) => `- \`${c.name}\`: ${c.label}: ${c.availability.ok ? '' : 'skipped, '}${c.availability.detail}`,
    ),
    '',
    '### bf16 GEMM limit',
    '',
  ];
  if (gemm.length === 0)
    lines.push('Not measured: the Python given with `--python` cannot run torch on CUDA.');
  else {
    lines.push(
      '| library | shape M×K×N | GFLOP/s (best of 10 runs of 10 GEMMs, measured before every round and at the end) |',
      '|---|---|---|',
      ...gemm.flatMap((g) => g.results.map((r) => `| ${g.library} | ${r.shape} | ${r.gflops.toFixed(0)} |`)),
      '',
      `Limit used below: **${gemmLimit.toFixed(0)} GFLOP/s** (the best of these).`,
    );
  }
  lines.push(
    '',
    `### Loss of one 1 × ${tokens} batch (random bf16 weights, deterministic tokens)`,
    '',
    'The models are the CPU shapes with their weights rounded to bf16, so native runs its bf16 GEMMs ' +
      '(fp32 accumulation, fp32 kernels) and PyTorch runs bf16 as Hugging Face does; onnx casts the weights ' +
      'to fp32 in its graph. FLOPs per token as in the CPU section. Each backend runs in its own process; ' +
      'rounds alternate the backends; tokens/s is the median over all timed runs, × PyTorch is the ratio of ' +
      'medians. Device memory is what nvidia-smi reports for the process after the timed runs (CUDA context ' +
      'included), peak RSS is host memory. "Sanity check" is the validator\'s greedy check, in its own process.',
    '',
    '| model | params | GFLOP/token | backend | tokens/s: median (best) | ms/batch (median) | GFLOP/s (best run) | share of bf16 GEMM limit (best run) | × PyTorch bf16 (medians) | device memory | peak RSS | loss | sanity check (s) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    const shape = shapes.find((s) => s.name === r.shape);
    const raw = shape.results.find((x) => x.name === r.case);
    const head = `| ${r.shape} | ${(shape.parameters / 1e6).toFixed(1)}M | ${(shape.flopsPerToken / 1e9).toFixed(3)} | ${r.case}`;
    if (r.skipped) lines.push(`${head} | skipped: ${r.skipped} | | | | | | | | |`);
    else
      lines.push(
        `${head} | ${fmt(r.tokensPerSecond)} (${fmt(r.bestTokensPerSecond)}) | ${fmt(r.medianSeconds * 1000, 1)} | ${fmt(r.gflops)} | ` +
          `${gemmLimit === undefined ? '—' : `${fmt(r.gemmShare * 100)}%`} | ${r.vsBaseline === undefined ? '—' : `${r.vsBaseline.toFixed(2)}×`} | ` +
          `${raw.deviceBytes === undefined ? '—' : mb(raw.deviceBytes)} | ${mb(r.peakRssBytes)} | ${r.loss.toFixed(5)} | ${fmt(r.sanitySeconds, 2)} |`,
      );
  }
  const runtimes = shapes.flatMap((s) => s.results.filter((x) => x.runtime).map((x) => [x.name, x.runtime]));
  const unique = [...new Map(runtimes).entries()];
  if (unique.length > 0)
    lines.push('', 'As each backend described its run:', '', ...unique.map(([n, t]) => `- \`${n}\`: ${t}`));
  return lines.join('\n');
}
