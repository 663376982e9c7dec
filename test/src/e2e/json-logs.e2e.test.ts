import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainClient } from '@pretrain/core';
import { HubModelStore } from '@pretrain/huggingface';
import { startHubTestServer, type HubTestServer } from '@pretrain/huggingface/testing';
import { startDevnet, type Devnet, type DevnetWallet } from '@pretrain/devnet';
import { SoakMiners } from './soak/soak-miners.js';
import { DEMO_CORPUS } from '../../../packages/cli/src/demo/run-demo.js';
import { connectMiners, writeCorpusModels } from './support/corpus-world.js';
import { freePort, runPretrain, type CliProcess } from './support/validator-process.js';

// Chopsticks logs every block unless told otherwise (read when the devnet first loads it).
process.env.LOG_LEVEL ??= 'fatal';

const HF_TOKEN = 'hf_json_logs_token';
const TRIGGER_PLUGIN = fileURLToPath(new URL('./support/trigger-plugin.mjs', import.meta.url));

/**
 * `pretrain validate --log-format json` through a model whose evaluation process aborts,
 * a hub answering 5xx, and the chain going away and coming back: every line it writes to
 * stderr must be one JSON object of our logger (polkadot-js's own console lines included).
 */
describe('validate --log-format json under faults', () => {
  let root: string;
  let port: number;
  let devnet: Devnet;
  let hub: HubTestServer;
  let chain: ChainClient;
  let miners: SoakMiners;
  let run: CliProcess | undefined;
  const startChain = () =>
    startDevnet({ miners: 3, validators: 1, port, dataDir: join(root, 'devnet'), blockTimeMs: 2000 });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-e2e-json-'));
    port = await freePort();
    devnet = await startChain();
    hub = await startHubTestServer({ token: HF_TOKEN });
    const bases = await writeCorpusModels(join(root, 'bases'));
    const connected = await connectMiners(devnet);
    chain = connected.chain;
    const signers = connected.signers;
    await mkdir(join(root, 'work'));
    miners = new SoakMiners({
      chain,
      store: new HubModelStore({
        hubUrl: hub.url,
        accessToken: HF_TOKEN,
        retry: { attempts: 2, baseDelayMs: 100 },
      }),
      netuid: devnet.netuid,
      signers,
      bases,
      workDir: join(root, 'work'),
    });
    for (const kind of ['fresh', 'fresh', 'crash'] as const) expect((await miners.push(kind)).ok).toBe(true);
  }, 600_000);

  afterAll(async () => {
    run?.killHard();
    await chain?.close().catch(() => undefined);
    await devnet?.stop();
    await hub?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('writes only JSON lines to stderr through a crashing model, hub 5xx and a chain restart', async () => {
    const self = devnet.wallets.find((w: DevnetWallet) => w.role === 'validator')!;
    run = runPretrain(
      [
        'validate',
        ...['--network', devnet.endpoint, '--wallet', self.wallet, '--hotkey', self.hotkey],
        ...['--wallet-path', devnet.walletPath, '--model-store', `hf:${hub.url}`],
        ...[
          '--dataset',
          `local:${DEMO_CORPUS}`,
          '--model-dir',
          join(root, 'validator'),
          '--backend',
          TRIGGER_PLUGIN,
        ],
        ...['--pages-per-eval', '1', '--blocks-per-epoch', '1', '--log-format', 'json', '--max-steps', '3'],
        ...[
          '--eval-timeout',
          '120',
          '--chain-update-cadence',
          '5',
          '--idle-wait',
          '2',
          '--weights-poll',
          '2',
        ],
      ],
      process.cwd(),
    );
    const isStep = (n: number) => (e: Record<string, unknown>) => e.event === 'step' && e.step === n;
    await run.waitFor(isStep(1), 300_000);
    // The hub fails the validator's next reads; a new model makes it read.
    hub.inject({ path: '/api/models/', status: 503, times: 6 });
    await miners.push('fresh');
    await run.waitFor(isStep(2), 300_000);
    await devnet.stop();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    devnet = await startChain();
    await run.waitFor(isStep(3), 300_000);
    expect(await run.exited).toBe(0);

    const lines = run
      .stderr()
      .split('\n')
      .filter((line) => line.length > 0);
    expect(lines.length).toBeGreaterThan(5);
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`stderr line is not JSON: ${line}`);
      }
    });
    for (const line of parsed) {
      expect(typeof line.time).toBe('string');
      expect(['debug', 'info', 'warn', 'error']).toContain(line.level);
      expect(typeof line.msg).toBe('string');
    }
    // The faults happened: the model's process died, the hub answered 503.
    const rows = run.events
      .filter((e) => e.event === 'step')
      .flatMap((e) => e.models as { failure?: string }[]);
    expect(rows.some((row) => row.failure === 'eval-failed')).toBe(true);
    expect(hub.requests.some((r) => r.status === 503)).toBe(true);
  }, 900_000);
});
