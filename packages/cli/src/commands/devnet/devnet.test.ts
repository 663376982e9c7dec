import { mkdtemp, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSubtensor, loadHotkey } from '@pretrain/subtensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../testing/run-cli.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('pretrain devnet / chain', () => {
  let dataDir: string;
  let endpoint: string;
  let up: Promise<CliRun>;
  let finished = false;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pretrain-cli-devnet-'));
    const port = await freePort();
    endpoint = `ws://127.0.0.1:${port}`;
    const args = [
      'devnet',
      'up',
      '--netuid',
      '2',
      '--miners',
      '1',
      '--validators',
      '1',
      '--port',
      String(port),
    ];
    up = runCli([...args, '--data-dir', dataDir, '--block-time', '0']).finally(() => (finished = true));
    // `devnet up` writes devnet.json once the subnet is ready, just before printing.
    const ready = () =>
      stat(join(dataDir, 'devnet.json')).then(
        () => true,
        () => false,
      );
    for (let i = 0; i < 480 && !finished && !(await ready()); i += 1)
      await new Promise((done) => setTimeout(done, 250));
  });

  afterAll(async () => {
    if (!finished) process.emit('SIGINT');
    await up;
  });

  it('shows status, metagraph and commitments of the running devnet', async () => {
    const miner = await loadHotkey({ wallet: 'miner-0', hotkey: 'default', path: join(dataDir, 'wallets') });
    const client = await connectSubtensor({ endpoint });
    await client.commit(2, miner, 'ns/model:c0ffee:hash');
    await client.close();

    const status = await runCli(['devnet', 'status', '--data-dir', dataDir, '--json']);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.subnets).toContain(2);
    const row = parsed.neurons.find((n: { wallet: string }) => n.wallet === 'miner-0');
    expect(row).toMatchObject({ hotkey: miner.address, commitment: 'ns/model:c0ffee:hash' });

    const metagraph = await runCli(['chain', 'metagraph', '--network', endpoint, '--netuid', '2', '--json']);
    expect(metagraph.code).toBe(0);
    const neurons = JSON.parse(metagraph.stdout).neurons as { hotkey: string; validatorPermit: boolean }[];
    expect(neurons.map((n) => n.hotkey)).toContain(miner.address);
    expect(neurons.filter((n) => n.validatorPermit)).toHaveLength(1);

    const one = await runCli([
      'chain',
      'commitment',
      '--network',
      endpoint,
      '--netuid',
      '2',
      '--hotkey',
      miner.address,
    ]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(new RegExp(`${miner.address}\\s+\\d+\\s+ns/model:c0ffee:hash`));
  });

  it('prints the endpoint and the wallets, and stops cleanly on Ctrl-C', async () => {
    process.emit('SIGINT');
    const run = await up;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`endpoint     ${endpoint}`);
    expect(run.stdout).toMatch(/validator\s+validator-0\s+default\s+\d+\s+5\w+/);
    expect(run.stdout).toMatch(/miner\s+miner-0\s+default/);
    expect(run.stdout).toContain('devnet stopped');
  });

  it('reports an unreachable network as a chain error', async () => {
    const down = await runCli([
      'chain',
      'metagraph',
      '--network',
      `ws://127.0.0.1:${await freePort()}`,
      '--netuid',
      '2',
      '--timeout',
      '2',
    ]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/error: .*(timed out|cannot connect)/);
  });
});
