import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryModelStore, pushModel, readDocuments, readStepHistory } from '@pretrain/core';
import { loadTokenizer } from '@pretrain/huggingface';
import { startDevnet, type Devnet, type DevnetWallet } from '@pretrain/devnet';
import { connectSubtensor, loadHotkey } from '@pretrain/subtensor';
import { DEMO_CORPUS } from '../../../packages/cli/src/demo/run-demo.js';
import { writeDemoModels } from '../../../packages/cli/src/demo/demo-models.js';
import { freePort, runPretrain, type CliProcess } from './support/validator-process.js';

// Chopsticks logs every block unless told otherwise (read when the devnet first loads it).
process.env.LOG_LEVEL ??= 'fatal';

/**
 * `pretrain validate` as an operator runs it, in its own process: killed with SIGKILL in
 * the middle of a step, restarted, and then through a restart of the chain under it.
 */
describe('validator process: kill -9, restart, devnet restart', () => {
  let root: string;
  let dataDir: string;
  let port: number;
  let devnet: Devnet;
  const running: CliProcess[] = [];

  const startChain = () => startDevnet({ miners: 2, validators: 1, port, dataDir, blockTimeMs: 2000 });
  const validate = (maxSteps: number): CliProcess => {
    const validator = devnet.wallets.find((w: DevnetWallet) => w.role === 'validator')!;
    const run = runPretrain(
      [
        'validate',
        ...[
          '--network',
          devnet.endpoint,
          '--wallet',
          validator.wallet,
          '--hotkey',
          validator.hotkey,
          '--wallet-path',
          devnet.walletPath,
        ],
        ...[
          '--model-store',
          `dir:${join(root, 'store')}`,
          '--dataset',
          `local:${DEMO_CORPUS}`,
          '--model-dir',
          join(root, 'validator'),
        ],
        ...[
          '--pages-per-eval',
          '1',
          '--blocks-per-epoch',
          '1',
          '--log-format',
          'json',
          '--max-steps',
          String(maxSteps),
        ],
      ],
      // The backend resolves from the working directory: the repository, where it is installed.
      process.cwd(),
    );
    running.push(run);
    return run;
  };
  const savedStep = async (): Promise<number> =>
    (JSON.parse(await readFile(join(root, 'validator', 'validator-state.json'), 'utf8')) as { step: number })
      .step;
  const isStep = (n: number) => (e: Record<string, unknown>) => e.event === 'step' && e.step === n;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-e2e-resume-'));
    dataDir = join(root, 'devnet');
    port = await freePort();
    devnet = await startChain();
    const tokenizer = await loadTokenizer('distilgpt2');
    const documents = (await readDocuments(DEMO_CORPUS)).map((t) => [
      ...tokenizer.encode(t, { truncation: true }),
      tokenizer.eosTokenId,
    ]);
    const models = await writeDemoModels({
      dir: join(root, 'models'),
      documents,
      vocabSize: 50257,
      eosTokenId: 50256,
      sequenceLength: 1024,
    });
    const chain = await connectSubtensor({ endpoint: devnet.endpoint });
    const store = new DirectoryModelStore(join(root, 'store'));
    for (const [i, wallet] of devnet.wallets.filter((w: DevnetWallet) => w.role === 'miner').entries()) {
      const signer = await loadHotkey({
        wallet: wallet.wallet,
        hotkey: wallet.hotkey,
        path: devnet.walletPath,
      });
      await pushModel({
        dir: models[i]!.dir,
        repo: `miner-${i}/model`,
        chain,
        store,
        netuid: devnet.netuid,
        signer,
      });
    }
    await chain.close();
  }, 240_000);

  afterAll(async () => {
    for (const run of running) run.killHard();
    await devnet?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('resumes after kill -9 mid-step: the interrupted step is redone once, nothing is counted twice', async () => {
    const first = validate(10);
    await first.waitFor(isStep(1), 240_000);
    // Kill as step 2's evaluations begin: each model then still needs its own process.
    await first.waitFor((e) => e.event === 'step-start' && e.step === 2, 240_000);
    first.killHard();
    expect(await first.exited).toBe('SIGKILL');
    expect(first.events.some(isStep(2))).toBe(false);
    expect(await savedStep()).toBe(1);

    const second = validate(1);
    const resumed = await second.waitFor((e) => e.event === 'step', 240_000);
    expect(resumed.step).toBe(2);
    expect(await second.exited).toBe(0);
    expect(second.stderr()).toMatch(/resumed validator state/);
    expect(await savedStep()).toBe(2);
    // The step history: each completed step once, the killed one only as redone.
    const history = await readStepHistory(join(root, 'validator', 'history'));
    expect(history.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(new Set(history.steps.map((s) => s.run)).size).toBe(1);
  }, 600_000);

  it('reconnects when the devnet restarts under it and carries on', async () => {
    const run = validate(2);
    await run.waitFor(isStep(3), 240_000);
    await devnet.stop();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    devnet = await startChain();
    expect(devnet.resumed).toBe(true);
    await run.waitFor(isStep(4), 300_000);
    expect(await run.exited).toBe(0);
    expect(await savedStep()).toBe(4);
    const chain = await connectSubtensor({ endpoint: devnet.endpoint });
    const graph = await chain.metagraph(devnet.netuid);
    await chain.close();
    const validator = graph.neurons.find(
      (n) => n.hotkey === devnet.wallets.find((w: DevnetWallet) => w.role === 'validator')!.hotkeyAddress,
    )!;
    expect(validator.weights.length).toBeGreaterThan(0);
  }, 600_000);
});
