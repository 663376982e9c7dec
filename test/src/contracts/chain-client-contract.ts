import { ChainError, type ChainClient, type ChainSigner } from '@pretrain/core';
import { beforeAll, describe, expect, it } from 'vitest';

/** A chain prepared for the contract suite, with the hooks it needs to steer it. */
export interface ChainClientHarness {
  readonly client: ChainClient;
  readonly netuid: number;
  /** Every neuron the chain holds on `netuid`, as registered. */
  readonly registered: readonly {
    readonly uid: number;
    readonly hotkey: string;
    readonly coldkey: string;
    readonly validator: boolean;
  }[];
  /** Registered hotkeys with no validator permit, at least two. */
  readonly miners: readonly ChainSigner[];
  /** A registered hotkey with stake and a validator permit. */
  readonly validator: ChainSigner;
  /** Blocks between two commitments of one hotkey. */
  readonly commitmentRateLimit: number;
  /** Let `hotkey` commit again at once (forget its last commitment block). */
  resetCommitmentRateLimit(hotkey: string): Promise<void>;
  /** Store a commitment for `hotkey` bypassing all checks: `fields` in the runtime's `Data` JSON form. */
  writeRawCommitment(hotkey: string, fields: readonly Record<string, string>[]): Promise<void>;
}

const MODEL =
  'pretrain-test/tiny:0123456789abcdef0123456789abcdef01234567:zNWoeh0JQ/2CNCZ8wY2WvhGA5Xwvs7ho2VVK4hlABJ4=';

/**
 * The behaviour every `ChainClient` must show, run against `harness()` (created once for
 * the suite). `@pretrain/subtensor` runs it against a devnet of the real runtime; a fake
 * client is trustworthy only if it passes it too.
 */
export function describeChainClientContract(name: string, harness: () => ChainClientHarness): void {
  describe(`ChainClient contract: ${name}`, () => {
    let h: ChainClientHarness;
    beforeAll(() => {
      h = harness();
    });

    it('reads the current block and its hash; a future block fails with a ChainError', async () => {
      const block = await h.client.currentBlock();
      expect(block).toBeGreaterThan(0);
      expect(await h.client.blockHash(block)).toMatch(/^0x[0-9a-f]{64}$/);
      await expect(h.client.blockHash(block + 10_000)).rejects.toBeInstanceOf(ChainError);
    });

    it('reads a metagraph equal to what was registered', async () => {
      const metagraph = await h.client.metagraph(h.netuid);
      expect(metagraph.netuid).toBe(h.netuid);
      expect(metagraph.block).toBeGreaterThan(0);
      expect(metagraph.neurons.map((n) => n.uid)).toEqual(metagraph.neurons.map((_, i) => i));
      const byHotkey = new Map(metagraph.neurons.map((n) => [n.hotkey, n]));
      expect(metagraph.neurons).toHaveLength(h.registered.length);
      for (const expected of h.registered) {
        const neuron = byHotkey.get(expected.hotkey);
        expect(neuron, expected.hotkey).toBeDefined();
        expect(neuron?.uid).toBe(expected.uid);
        expect(neuron?.coldkey).toBe(expected.coldkey);
        expect(neuron?.validatorPermit).toBe(expected.validator);
        if (expected.validator) expect(neuron?.stake).toBeGreaterThan(0);
      }
      for (const miner of h.miners) expect(await h.client.isRegistered(h.netuid, miner.address)).toBe(true);
      expect(await h.client.isRegistered(h.netuid, '5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM')).toBe(
        false,
      );
    });

    it('reads a commitment back with the block that included it', async () => {
      const miner = h.miners[0] as ChainSigner;
      await h.resetCommitmentRateLimit(miner.address);
      const inclusion = await h.client.commit(h.netuid, miner, MODEL);
      expect(inclusion.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(await h.client.commitment(h.netuid, miner.address)).toEqual({
        hotkey: miner.address,
        data: MODEL,
        block: inclusion.block,
      });
      expect(await h.client.commitments(h.netuid)).toContainEqual({
        hotkey: miner.address,
        data: MODEL,
        block: inclusion.block,
      });
    });

    it('refuses a second commitment inside the rate limit by name, with the block to retry at', async () => {
      const miner = h.miners[0] as ChainSigner;
      await h.resetCommitmentRateLimit(miner.address);
      const first = await h.client.commit(h.netuid, miner, `${MODEL}:1`);
      const error = await h.client.commit(h.netuid, miner, `${MODEL}:2`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChainError);
      expect((error as ChainError).chainError).toBe('commitments.CommitmentSetRateLimitExceeded');
      expect((error as ChainError).retryAtBlock).toBe(first.block + h.commitmentRateLimit);
      expect((await h.client.commitment(h.netuid, miner.address))?.data).toBe(`${MODEL}:1`);
    });

    it('reads malformed commitments as no metadata without failing', async () => {
      const miner = h.miners[1] as ChainSigner;
      const cases: Record<string, string>[][] = [
        [{ Raw2: '0xc328' }], // invalid UTF-8
        [{ Sha256: `0x${'ab'.repeat(32)}` }], // not a Raw field
        [], // no field at all
      ];
      for (const fields of cases) {
        await h.writeRawCommitment(miner.address, fields);
        const read = await h.client.commitment(h.netuid, miner.address);
        expect(read?.data, JSON.stringify(fields)).toBeUndefined();
        const all = await h.client.commitments(h.netuid);
        expect(all.find((c) => c.hotkey === miner.address)?.data).toBeUndefined();
      }
    });

    it('sets weights that read back from the metagraph as u16 pairs', async () => {
      const metagraph = await h.client.metagraph(h.netuid);
      const uids = h.miners.map((m) => metagraph.neurons.find((n) => n.hotkey === m.address)?.uid as number);
      const values = uids.map((_, i) => (i === 0 ? 65535 : 21845));
      const inclusion = await h.client.setWeights(h.netuid, h.validator, { uids, values }, 2022);
      const after = await h.client.metagraph(h.netuid);
      const validator = after.neurons.find((n) => n.hotkey === h.validator.address);
      expect(validator?.weights).toEqual(
        uids.map((uid, i) => [uid, values[i]]).sort((a, b) => (a[0] as number) - (b[0] as number)),
      );
      expect(validator?.lastUpdate).toBe(inclusion.block);
    });

    it('rejects signers it cannot sign with, and oversized commitments, before sending', async () => {
      const foreign: ChainSigner = { address: (h.miners[0] as ChainSigner).address };
      await expect(h.client.commit(h.netuid, foreign, MODEL)).rejects.toBeInstanceOf(ChainError);
      await expect(
        h.client.commit(h.netuid, h.miners[0] as ChainSigner, 'x'.repeat(129)),
      ).rejects.toBeInstanceOf(ChainError);
      const bad = h.client.setWeights(h.netuid, h.validator, { uids: [0], values: [70_000] }, 2022);
      await expect(bad).rejects.toBeInstanceOf(ChainError);
    });
  });
}
