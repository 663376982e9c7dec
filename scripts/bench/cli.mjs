// Bench case `cli`: wall time of `pretrain --help` and `pretrain --version` (each a fresh
// process, as a user runs them) beside a bare `node -e 0` on the same machine, so the
// share that is the CLI's own shows even when the machine is busy. Needs `npm run build`.
// Run alone: `node scripts/bench/cli.mjs`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/cli/bin/pretrain.js', import.meta.url));

// GNU time gives the child's CPU seconds (user + system), which a busy machine inflates far
// less than the wall time.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function measure(argv) {
  const started = process.hrtime.bigint();
  const [cmd, args] = GNU_TIME
    ? [GNU_TIME, ['-f', '%U %S', process.execPath, ...argv]]
    : [process.execPath, argv];
  const child = spawnSync(cmd, args, { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`${argv.join(' ')} exited ${child.status}: ${child.stderr}`);
  const cpu = GNU_TIME
    ? child.stderr
        .trim()
        .split('\n')
        .at(-1)
        .split(' ')
        .reduce((sum, v) => sum + Number(v), 0)
    : Number.NaN;
  return { wall, cpu };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall time of each command line over `samples` runs, interleaved. */
export function benchCli({ samples = 9 } = {}) {
  const lines = [
    ['node -e 0', ['-e', '0']],
    ['pretrain --version', [BIN, '--version']],
    ['pretrain --help', [BIN, '--help']],
  ];
  const times = lines.map(() => []);
  for (let i = 0; i < samples; i += 1) lines.forEach(([, argv], j) => times[j].push(measure(argv)));
  const rows = lines.map(([what], j) => ({
    what,
    medianSeconds: Number(median(times[j].map((t) => t.wall)).toFixed(3)),
    minSeconds: Number(Math.min(...times[j].map((t) => t.wall)).toFixed(3)),
    cpuSeconds: Number(median(times[j].map((t) => t.cpu)).toFixed(3)),
  }));
  return { samples, rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.table(benchCli().rows);
