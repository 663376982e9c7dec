import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChainSigner, Inclusion } from '../contracts/index.js';
import { ChainError, ModelRejectedError, UsageError } from '../errors/index.js';
import { hashModelDirectory, parseModelId, saltHash } from '../model/index.js';
import { DirectoryModelStore } from '../storage/directory-model-store.js';
import { MemoryChain } from '../validator/testing/memory-chain.js';
import { testSchedule } from '../validator/testing/validator-world.js';
import { pushModel } from './push-model.js';

const GPT2 = fileURLToPath(new URL('../../../../test/fixtures/models/gpt2-tied-f32', import.meta.url));
const MINER: ChainSigner = { address: '5MinerHotkey' };

/**
 * The memory chain plus the runtime's commitment rate limit (CHAIN.md: one commitment
 * per `limit` blocks, refused with the block that allows the next), where every block
 * read lets one block pass, as a live chain does while a client polls it.
 */
class RateLimitedChain extends MemoryChain {
  private last: number | undefined;
  refusals = 0;
  constructor(private readonly limit: number) {
    super(9);
  }
  override async currentBlock(): Promise<number> {
    this.advance(1);
    return super.currentBlock();
  }
  override async commit(netuid: number, signer: ChainSigner, data: string): Promise<Inclusion> {
    const now = await super.currentBlock();
    if (this.last !== undefined && now < this.last + this.limit) {
      this.refusals++;
      throw new ChainError('commitment rate limit', {
        chainError: 'commitments.CommitmentSetRateLimitExceeded',
        retryAtBlock: this.last + this.limit,
      });
    }
    const inclusion = await super.commit(netuid, signer, data);
    this.last = inclusion.block;
    return inclusion;
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
    chain.register(MINER.address);
    const result = await pushModel({
      dir: GPT2,
      repo: 'alice/tiny-gpt2',
      chain,
      store,
      netuid: 9,
      signer: MINER,
    });
    const onChain = await chain.commitment(9, MINER.address);
    expect(onChain?.data).toBe(result.commitment);
    expect(onChain?.block).toBe(result.block);
    const id = parseModelId(result.commitment)!;
    expect(id).toMatchObject({ namespace: 'alice', name: 'tiny-gpt2', commit: result.id.commit });
    expect(id.hash).toBe(await hashModelDirectory(store.commitPath(id, id.commit!)));
  });

  it('salts the hash with the hotkey when asked', async () => {
    const chain = new MemoryChain(9);
    chain.register(MINER.address);
    const result = await pushModel({
      dir: GPT2,
      repo: 'alice/tiny-gpt2',
      chain,
      store,
      netuid: 9,
      signer: MINER,
      useHotkeyInHash: true,
    });
    expect(result.id.hash).toBe(saltHash(await hashModelDirectory(GPT2), MINER.address));
  });

  it('checks the criteria before uploading anything', async () => {
    const chain = new MemoryChain(9);
    chain.register(MINER.address);
    const push = pushModel({
      dir: GPT2,
      repo: 'alice/tiny-gpt2',
      chain,
      store,
      netuid: 9,
      signer: MINER,
      schedule: testSchedule(),
    });
    await expect(push).rejects.toMatchObject({ reason: 'unsupported-architecture' });
    await expect(push).rejects.toBeInstanceOf(ModelRejectedError);
    expect(await chain.commitment(9, MINER.address)).toBeUndefined();
    expect(existsSync(join(root, 'hub'))).toBe(false);
  });

  it('refuses an unregistered hotkey and a bad repo id with usage errors', async () => {
    const chain = new MemoryChain(9);
    await expect(
      pushModel({ dir: GPT2, repo: 'alice/tiny-gpt2', chain, store, netuid: 9, signer: MINER }),
    ).rejects.toThrow(/not registered/);
    chain.register(MINER.address);
    await expect(
      pushModel({ dir: GPT2, repo: 'no-slash', chain, store, netuid: 9, signer: MINER }),
    ).rejects.toBeInstanceOf(UsageError);
  });

  it('waits out the rate limit until the block the chain names, then commits', async () => {
    const chain = new RateLimitedChain(20);
    chain.register(MINER.address);
    const first = await pushModel({
      dir: GPT2,
      repo: 'alice/first',
      chain,
      store,
      netuid: 9,
      signer: MINER,
      pollMs: 1,
    });
    const second = await pushModel({
      dir: GPT2,
      repo: 'alice/second',
      chain,
      store,
      netuid: 9,
      signer: MINER,
      pollMs: 1,
    });
    expect(chain.refusals).toBe(1);
    expect(second.attempts).toBe(2);
    expect(second.block).toBeGreaterThanOrEqual(first.block + 20);
    expect((await chain.commitment(9, MINER.address))?.data).toBe(second.commitment);
  });

  it('retries other chain failures after a pause, then gives up with the chain error', async () => {
    const chain = new FlakyChain();
    chain.register(MINER.address);
    const push = pushModel({
      dir: GPT2,
      repo: 'alice/tiny-gpt2',
      chain,
      store,
      netuid: 9,
      signer: MINER,
      retryDelayMs: 1,
      maxAttempts: 2,
    });
    await expect(push).rejects.toThrow('connection reset');
    expect(chain.calls).toBe(2);
  });
});
