// Bench case `devnet`: how long the local devnet of @pretrain/devnet takes to start
// (fresh and resumed), to build an empty block, and to include an extrinsic (signing to
// inclusion, read back), plus the cost of the dev RPCs the tests lean on. Needs
// `npx tsc -b packages/subtensor`. Run: `node scripts/bench/devnet.mjs [--no-write]`;
// it writes the `devnet` section of docs/BENCHMARKS.md.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const millis = (ms) => (ms < 10 ? Number(ms.toFixed(2)) : Math.round(ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(work) {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/** Measure the devnet; returns one row per measurement with its median and sample count. */
export async function benchDevnet({ samples = 5 } = {}) {
  // chopsticks logs every block at info level otherwise; it reads LOG_LEVEL once, at import.
  process.env.LOG_LEVEL ??= 'error';
  const { startDevnet } = await import('@pretrain/devnet');
  const { connectSubtensor, loadHotkey } = await import('@pretrain/subtensor');
  const dataDir = await mkdtemp(join(tmpdir(), 'pretrain-bench-devnet-'));
  const rows = [];
  const add = (what, values, note = '') =>
    rows.push({ what, medianMs: millis(median(values)), n: values.length, note });
  try {
    const options = { netuid: 9, miners: 2, validators: 1, port: 0, dataDir };
    const fresh = await timed(() => startDevnet(options));
    let devnet = fresh.value;
    add(
      'start, fresh (genesis → subnet 9 created, 3 hotkeys registered, validator staked)',
      [fresh.ms],
      'includes loading chopsticks',
    );
    const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);

    const blocks = [];
    for (let i = 0; i < samples; i += 1) blocks.push((await timed(() => devnet.newBlocks(1))).ms);
    add('empty block (dev_newBlock)', blocks);

    const client = await connectSubtensor({ endpoint: devnet.endpoint });
    const miner = await loadHotkey({ wallet: 'miner-0', hotkey: 'default', path: devnet.walletPath });
    const validator = await loadHotkey({ wallet: 'validator-0', hotkey: 'default', path: devnet.walletPath });
    const commits = [];
    const writes = [];
    for (let i = 0; i < samples; i += 1) {
      const reset = await timed(() =>
        devnet.setStorage({ Commitments: { LastCommitment: [[[devnet.netuid, miner.address], null]] } }),
      );
      writes.push(reset.ms);
      commits.push((await timed(() => client.commit(devnet.netuid, miner, `bench/model:${i}`))).ms);
    }
    add('commitment: sign → included (ChainClient.commit)', commits);
    const metagraph = await client.metagraph(devnet.netuid);
    const uids = metagraph.neurons.filter((n) => !n.validatorPermit).map((n) => n.uid);
    const weights = [];
    for (let i = 0; i < samples; i += 1) {
      const values = uids.map((_, j) => (j === i % uids.length ? 65535 : 1000));
      weights.push(
        (await timed(() => client.setWeights(devnet.netuid, validator, { uids, values }, 2022))).ms,
      );
    }
    add('set weights: sign → included (ChainClient.setWeights)', weights);
    const reads = [];
    for (let i = 0; i < samples; i += 1) reads.push((await timed(() => client.metagraph(devnet.netuid))).ms);
    add(`metagraph read (${metagraph.neurons.length} neurons)`, reads);
    add('dev_setStorage (one item)', writes);
    const head = await client.currentBlock();
    await devnet.newBlocks(1);
    add('dev_setHead (one block back)', [(await timed(() => devnet.setHead(head))).ms]);
    await client.close();

    await devnet.stop();
    const resumed = await timed(() => startDevnet(options));
    devnet = resumed.value;
    add('start, resumed from --data-dir', [resumed.ms], 'chopsticks already loaded');
    await devnet.stop();
    return { case: 'devnet', samples, rssMiB, rows };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Markdown body of the `devnet` section. */
export function renderDevnet(result) {
  return [
    `Reproduce: \`npx tsc -b packages/subtensor && node scripts/bench/devnet.mjs\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
    '',
    `The subtensor runtime (spec 218) in chopsticks, in-process, batch block mode; medians of ${result.samples} samples`,
    `where n > 1. Process RSS after a fresh start: ${result.rssMiB} MiB.`,
    '',
    '| measurement | median (ms) | n | note |',
    '|---|---|---|---|',
    ...result.rows.map((r) => `| ${r.what} | ${r.medianMs.toLocaleString('en')} | ${r.n} | ${r.note} |`),
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchDevnet();
  console.table(result.rows);
  if (!process.argv.includes('--no-write')) {
    const { writeSection } = await import('./report.mjs');
    writeSection(join(ROOT, 'docs', 'BENCHMARKS.md'), 'devnet', 'Case `devnet`', renderDevnet(result));
  }
  console.log(JSON.stringify(result));
}
