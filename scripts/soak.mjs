#!/usr/bin/env node
// `npm run soak -- --minutes 60 [--out soak-out]`: a devnet, miners that keep pushing new,
// copied and broken models to a local hub double, and `pretrain validate` in its own
// process with short cadences, under scheduled faults (chain restart, hub 5xx and
// timeouts, a hanging model, a corrupt download). Samples the validator's RSS, heap, open
// file descriptors, child processes and model directory after every step; fails when one
// grows after warm-up beyond its bound, a step is lost, or a stderr line is not JSON.
// Writes soak.csv, soak.svg and summary.json to --out. Needs the built packages
// (`npm run build`). Not part of `npm test`; results: docs/BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE =
  'npm run soak -- [--minutes 60] [--warmup <minutes, default max(5, minutes/4)>] [--out soak-out]';
let args;
try {
  args = parseArgs({
    options: {
      minutes: { type: 'string', default: '60' },
      warmup: { type: 'string' },
      out: { type: 'string', default: 'soak-out' },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const minutes = Number(args.minutes);
if (!Number.isFinite(minutes) || minutes < 1) {
  console.error(`--minutes needs a number of minutes (at least 1), got "${args.minutes}"\n${USAGE}`);
  process.exit(2);
}
const warmup = args.warmup === undefined ? Math.max(5, minutes / 4) : Number(args.warmup);
if (!Number.isFinite(warmup) || warmup < 0 || warmup >= minutes) {
  console.error(`--warmup needs minutes below --minutes, got "${args.warmup}"\n${USAGE}`);
  process.exit(2);
}
const child = spawn(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/src/e2e/soak/vitest.soak.config.ts'],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      SOAK_MINUTES: String(minutes),
      SOAK_WARMUP_MINUTES: String(warmup),
      SOAK_OUT: resolve(args.out),
    },
  },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
