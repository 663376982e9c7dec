#!/usr/bin/env node
// `npm run fuzz`: a seeded, time-bounded mutation campaign over the inputs a validator
// takes from miners (safetensors files, config.json, index files, commitments) and the
// token files of `pretrain eval`, through the same entry points. Exits 1 on any crash
// (an error that is not a PretrainError), broken invariant, hang or memory failure.
// Needs the built packages (`npm run build`). Results of long runs: docs/FUZZING.md.
import { parseArgs } from 'node:util';
import { runCampaign, TARGET_NAMES } from './fuzz/campaign.mjs';

const USAGE = `npm run fuzz -- [--cases 25000] [--seed pretrain] [--first 0] [--max-seconds 1800]
                [--hang-seconds 30] [--heap-mb 512] [--targets ${TARGET_NAMES.join(',')}] [--json]
Case i of a seed is always the same input: replay one with --first i --cases 1.`;

let args;
try {
  args = parseArgs({
    options: {
      cases: { type: 'string', default: '25000' },
      seed: { type: 'string', default: 'pretrain' },
      first: { type: 'string', default: '0' },
      'max-seconds': { type: 'string', default: '1800' },
      'hang-seconds': { type: 'string', default: '30' },
      'heap-mb': { type: 'string', default: '512' },
      targets: { type: 'string', default: TARGET_NAMES.join(',') },
      json: { type: 'boolean', default: false },
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
const count = (flag) => {
  const value = Number(args[flag]);
  if (!Number.isSafeInteger(value) || value < (flag === 'first' ? 0 : 1)) {
    console.error(`--${flag} needs a positive integer, got "${args[flag]}"\n${USAGE}`);
    process.exit(2);
  }
  return value;
};
const targets = args.targets.split(',');
const unknown = targets.filter((t) => !TARGET_NAMES.includes(t));
if (unknown.length > 0) {
  console.error(`unknown target(s) ${unknown.join(', ')}; known: ${TARGET_NAMES.join(', ')}`);
  process.exit(2);
}

let shown = 0;
const summary = await runCampaign({
  seed: args.seed,
  cases: count('cases'),
  first: count('first'),
  maxSeconds: count('max-seconds'),
  hangSeconds: count('hang-seconds'),
  heapMb: count('heap-mb'),
  targets,
  onProgress: (s) => {
    if (!args.json && s.cases - shown >= 1000) {
      shown = s.cases;
      process.stderr.write(`[fuzz] ${s.cases} cases, ${s.failures.length} failures\n`);
    }
  },
});
if (args.json) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(
    `seed ${summary.seed}, cases ${summary.first}..${summary.first + summary.cases - 1}: ${summary.cases} cases in ${summary.seconds.toFixed(1)} s${summary.stoppedEarly ? ' (stopped at --max-seconds)' : ''}`,
  );
  for (const [target, outcomes] of Object.entries(summary.outcomes)) {
    const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
    const parts = Object.entries(outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`);
    console.log(`  ${target.padEnd(12)} ${String(total).padStart(6)}  ${parts.join(', ')}`);
  }
  for (const kind of ['crash', 'invariant', 'hang', 'memory', 'harness']) {
    console.log(`  ${kind}: ${summary.failures.filter((f) => f.kind === kind).length}`);
  }
  for (const failure of summary.failures.slice(0, 20)) {
    console.log(
      `\n${failure.kind} in case ${failure.index} (${failure.target}; replay: --seed ${summary.seed} --first ${failure.index} --cases 1)\n${failure.detail}`,
    );
  }
}
process.exit(summary.failures.length === 0 ? 0 : 1);
