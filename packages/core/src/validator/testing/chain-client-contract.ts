import { describe, expect, it } from 'vitest';
import type { ChainClient, ChainSigner } from '../../contracts/index.js';
import { ChainError } from '../../errors/index.js';

/** What {@link describeChainClientContract} needs: a client and two registered hotkeys. */
export interface ChainClientFixture {
  readonly client: ChainClient;
  readonly netuid: number;
  /** Registered on `netuid`, without a commitment yet. */
  readonly miner: ChainSigner;
  /** Registered on `netuid` with a validator permit (may set weights). */
  readonly validator: ChainSigner;
  /** Not registered. */
  readonly stranger: ChainSigner;
}

/**
 * The behaviour of {@link ChainClient} the validator relies on. Run against every
 * implementation: the subtensor client on a devnet and the in-memory chain of the
 * validator's unit tests, so the fast one cannot drift from the real one.
 */
export function describeChainClientContract(name: string, setup: () => Promise<ChainClientFixture>): void {
  describe(`ChainClient contract: ${name}`, () => {
    it('reports block numbers that never decrease and hashes them', async () => {
      const { client } = await setup();
      const a = await client.currentBlock();
      const b = await client.currentBlock();
      expect(Number.isInteger(a) && a >= 0).toBe(true);
      expect(b).toBeGreaterThanOrEqual(a);
      expect(await client.blockHash(a)).toMatch(/^0x[0-9a-f]{64}$/);
    });

    it('indexes the metagraph by uid and knows who is registered', async () => {
      const { client, netuid, miner, stranger } = await setup();
      const graph = await client.metagraph(netuid);
      graph.neurons.forEach((n, i) => expect(n.uid).toBe(i));
      expect(graph.neurons.map((n) => n.hotkey)).toContain(miner.address);
      expect(await client.isRegistered(netuid, miner.address)).toBe(true);
      expect(await client.isRegistered(netuid, stranger.address)).toBe(false);
    });

    it('reads back a commitment with the block that included it', async () => {
      const { client, netuid, miner } = await setup();
      const data = `ns:model:${'a'.repeat(40)}:${'B'.repeat(43)}=`;
      const before = await client.currentBlock();
      const inclusion = await client.commit(netuid, miner, data);
      const read = await client.commitment(netuid, miner.address);
      expect(read).toEqual({ hotkey: miner.address, data, block: inclusion.block });
      expect(inclusion.block).toBeGreaterThan(before);
      expect((await client.commitments(netuid)).map((c) => c.hotkey)).toContain(miner.address);
    });

    it('has no commitment for a hotkey that never committed', async () => {
      const { client, netuid, validator } = await setup();
      expect(await client.commitment(netuid, validator.address)).toBeUndefined();
    });

    it('refuses oversize commitments and unregistered signers with ChainError', async () => {
      const { client, netuid, miner, stranger } = await setup();
      await expect(client.commit(netuid, miner, 'x'.repeat(129))).rejects.toThrow(ChainError);
      await expect(client.commit(netuid, stranger, 'a:b:c:d')).rejects.toThrow(ChainError);
    });

    it('sets weights that the metagraph then shows', async () => {
      const { client, netuid, miner, validator } = await setup();
      const graph = await client.metagraph(netuid);
      const minerUid = graph.neurons.findIndex((n) => n.hotkey === miner.address);
      await client.setWeights(netuid, validator, { uids: [minerUid], values: [65535] }, 2022);
      const after = await client.metagraph(netuid);
      const mine = after.neurons.find((n) => n.hotkey === validator.address);
      expect(mine?.weights).toEqual([[minerUid, 65535]]);
    });
  });
}
