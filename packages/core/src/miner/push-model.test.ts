import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChainSigner, Inclusion } from '../contracts/index.js';
import { ChainError, ModelRejectedError, UsageError } from '@pretrain/backend-sdk';
import { hashModelDirectory, parseModelId, saltHash } from '../model/index.js';
import { DirectoryModelStore } from '../storage/directory-model-store.js';
import { MemoryChain } from '../validator/testing/memory-chain.js';
import { testSchedule } from '../validator/testing/validator-world.js';
import { pushModel } from './push-model.js';

const GPT2 = fileURLToPath(new URL('../../../../test/fixtures/models/gpt2-tied-f32', import.meta.url));
const MINER = '5MinerHotkey';

/**
 * The memory chain with the runtime's commitment rate limit, where every block read lets
 * one block pass, as a live chain does while a client polls it.
 */
class TickingChain extends MemoryChain {
  refusals = 0;
  constructor(rateLimit: number) {
    super(9, { commitmentRateLimit: rateLimit });
  }
  override async currentBlock(): Promise<number> {
    this.advance(1);
    return super.currentBlock();
  }
  override async commit(netuid: number, signer: ChainSigner, data: string): Promise<Inclusion> {
    return super.commit(netuid, signer, data).catch((error: unknown) => {
      if ((error as ChainError).retryAtBlock !== undefined) this.refusals++;
      throw error;
    });
  }
}

/** A chain whose commit always fails as a dropped connection does. */
class FlakyChain extends MemoryChain {
  calls = 0;
  override async commit(): Promise<Inclusion> {
    this.calls++;
    throw new ChainError('connection reset');
  }
}

describe('pushModel', () => {
  let root: string;
  let store: DirectoryModelStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pretrain-push-'));
    store = new DirectoryModelStore(join(root, 'hub'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('uploads, commits the compressed id and reads it back', async () => {
    const chain = new MemoryChain(9);
    chain.register(MINER);
    const result = await pushModel({
      dir: GPT2,
      repo: 'alice/tiny-gpt2',
      chain,
      store,
      netuid: 9,
      signer: chain.signerFor(MINER),
    });
    const onChain = await chain.commitment(9, MINER);
    expect(onChain?.data).toBe(result.commitment);
    expect(onChain?.block).toBe(result.block);
    const id = parseModelId(result.commitment)!;
    expect(id).toMatchObject({ namespace: 'alice', name: 'tiny-gpt2', commit: result.id.commit });
    expect(id.hash).toBe(await hashModelDirectory(store.commitPath(id, id.commit!)));
  });

  it('salts the hash with the hotkey when asked', async () => {
    const chain = new MemoryChain(9);
    chain.register(MINER);
    const result = await pushModel({
      dir: GPT2,
      repo: 'alice/tiny-gpt2',
      chain,
      store,
      netuid: 9,
      signer: chain.signerFor(MINER),
      useHotkeyInHash: true,
    });
    expect(result.id.hash).toBe(saltHash(await hashModelDirectory(GPT2), MINER));
  });

  it('checks the criteria before uploading anything', async () => {
    const chain = new MemoryChain(9);
    chain.register(MINER);
    const push = pushModel({
      dir: GPT2,
      repo: 'alice/tiny-gpt2',
      chain,
      store,
      netuid: 9,
      signer: chain.signerFor(MINER),
      schedule: testSchedule(),
    });
    await expect(push).rejects.toMatchObject({ reason: 'unsupported-architecture' });
    await expect(push).rejects.toBeInstanceOf(ModelRejectedError);
    expect(await chain.commitment(9, MINER)).toBeUndefined();
    expect(existsSync(join(root, 'hub'))).toBe(false);
  });

  it('refuses an unregistered hotkey and a bad repo id with usage errors', async () => {
    const chain = new MemoryChain(9);
    await expect(
      pushModel({
        dir: GPT2,
        repo: 'alice/tiny-gpt2',
        chain,
        store,
        netuid: 9,
        signer: chain.signerFor(MINER),
      }),
    ).rejects.toThrow(/not registered/);
    chain.register(MINER);
    await expect(
      pushModel({ dir: GPT2, repo: 'no-slash', chain, store, netuid: 9, signer: chain.signerFor(MINER) }),
    ).rejects.toBeInstanceOf(UsageError);
  });

  it('waits out the rate limit until the block the chain names, then commits', async () => {
    const chain = new TickingChain(20);
    chain.register(MINER);
    const first = await pushModel({
      dir: GPT2,
      repo: 'alice/first',
      chain,
      store,
      netuid: 9,
      signer: chain.signerFor(MINER),
      pollMs: 1,
    });
    const second = await pushModel({
      dir: GPT2,
      repo: 'alice/second',
      chain,
      store,
      netuid: 9,
      signer: chain.signerFor(MINER),
      pollMs: 1,
    });
    expect(chain.refusals).toBe(1);
    expect(second.attempts).toBe(2);
    expect(second.block).toBeGreaterThanOrEqual(first.block + 20);
    expect((await chain.commitment(9, MINER))?.data).toBe(second.commitment);
  });

  it('retries other chain failures after a pause, then gives up with the chain error', async () => {
    const chain = new FlakyChain();
    chain.register(MINER);
    const push = pushModel({
      dir: GPT2,
      repo: 'alice/tiny-gpt2',
      chain,
      store,
      netuid: 9,
      signer: chain.signerFor(MINER),
      retryDelayMs: 1,
      maxAttempts: 2,
    });
    await expect(push).rejects.toThrow('connection reset');
    expect(chain.calls).toBe(2);
  });
});
