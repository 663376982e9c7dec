import assert from 'node:assert/strict';
import { ChainError, type ChainClient, type ChainSigner } from '@pretrain/core';
import type { ContractCase } from './contract-case.js';

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

/** Resolves with what `promise` rejects with; fails when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

async function rejectsWithChainError(promise: Promise<unknown>): Promise<void> {
  assert.ok((await rejection(promise)) instanceof ChainError, 'expected a ChainError');
}

/**
 * The behaviour every `ChainClient` must show, run against a harness created once for
 * all cases. `@pretrain/subtensor` runs it against a devnet of the real runtime; a fake
 * client is trustworthy only if it passes it too. Framework-free (`node:assert`);
 * `describeChainClientContract` of `@pretrain/conformance/vitest` registers the cases.
 */
export const chainClientContractCases: readonly ContractCase<ChainClientHarness>[] = [
  {
    name: 'reads the current block and its hash; a future block fails with a ChainError',
    async run(h) {
      const block = await h.client.currentBlock();
      assert.ok(block > 0, `block ${block}`);
      assert.match(await h.client.blockHash(block), /^0x[0-9a-f]{64}$/);
      await rejectsWithChainError(h.client.blockHash(block + 10_000));
    },
  },
  {
    name: 'reads a metagraph equal to what was registered',
    async run(h) {
      const metagraph = await h.client.metagraph(h.netuid);
      assert.equal(metagraph.netuid, h.netuid);
      assert.ok(metagraph.block > 0);
      assert.deepEqual(
        metagraph.neurons.map((n) => n.uid),
        metagraph.neurons.map((_, i) => i),
      );
      const byHotkey = new Map(metagraph.neurons.map((n) => [n.hotkey, n]));
      assert.equal(metagraph.neurons.length, h.registered.length);
      for (const expected of h.registered) {
        const neuron = byHotkey.get(expected.hotkey);
        assert.ok(neuron !== undefined, `${expected.hotkey} is missing`);
        assert.equal(neuron.uid, expected.uid);
        assert.equal(neuron.coldkey, expected.coldkey);
        assert.equal(neuron.validatorPermit, expected.validator);
        if (expected.validator) assert.ok(neuron.stake > 0, `stake of ${expected.hotkey}`);
      }
      for (const miner of h.miners) assert.equal(await h.client.isRegistered(h.netuid, miner.address), true);
      assert.equal(
        await h.client.isRegistered(h.netuid, '5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM'),
        false,
      );
    },
  },
  {
    name: 'reads a commitment back with the block that included it',
    async run(h) {
      const miner = h.miners[0] as ChainSigner;
      await h.resetCommitmentRateLimit(miner.address);
      const inclusion = await h.client.commit(h.netuid, miner, MODEL);
      assert.match(inclusion.txHash, /^0x[0-9a-f]{64}$/);
      const expected = { hotkey: miner.address, data: MODEL, block: inclusion.block };
      assert.deepEqual(await h.client.commitment(h.netuid, miner.address), expected);
      const all = await h.client.commitments(h.netuid);
      assert.ok(
        all.some(
          (c) => c.hotkey === expected.hotkey && c.data === expected.data && c.block === expected.block,
        ),
        'commitments() lacks it',
      );
    },
  },
  {
    name: 'refuses a second commitment inside the rate limit by name, with the block to retry at',
    async run(h) {
      const miner = h.miners[0] as ChainSigner;
      await h.resetCommitmentRateLimit(miner.address);
      const first = await h.client.commit(h.netuid, miner, `${MODEL}:1`);
      const error = await rejection(h.client.commit(h.netuid, miner, `${MODEL}:2`));
      assert.ok(error instanceof ChainError, 'expected a ChainError');
      assert.equal(error.chainError, 'commitments.CommitmentSetRateLimitExceeded');
      assert.equal(error.retryAtBlock, first.block + h.commitmentRateLimit);
      assert.equal((await h.client.commitment(h.netuid, miner.address))?.data, `${MODEL}:1`);
    },
  },
  {
    name: 'reads malformed commitments as no metadata without failing',
    async run(h) {
      const miner = h.miners[1] as ChainSigner;
      const cases: Record<string, string>[][] = [
        [{ Raw2: '0xc328' }], // invalid UTF-8
        [{ Sha256: `0x${'ab'.repeat(32)}` }], // not a Raw field
        [], // no field at all
      ];
      for (const fields of cases) {
        await h.writeRawCommitment(miner.address, fields);
        const read = await h.client.commitment(h.netuid, miner.address);
        assert.equal(read?.data, undefined, JSON.stringify(fields));
        const all = await h.client.commitments(h.netuid);
        assert.equal(all.find((c) => c.hotkey === miner.address)?.data, undefined);
      }
    },
  },
  {
    name: 'sets weights that read back from the metagraph as u16 pairs',
    async run(h) {
      const metagraph = await h.client.metagraph(h.netuid);
      const uids = h.miners.map((m) => metagraph.neurons.find((n) => n.hotkey === m.address)?.uid as number);
      const values = uids.map((_, i) => (i === 0 ? 65535 : 21845));
      const inclusion = await h.client.setWeights(h.netuid, h.validator, { uids, values }, 2022);
      const after = await h.client.metagraph(h.netuid);
      const validator = after.neurons.find((n) => n.hotkey === h.validator.address);
      assert.deepEqual(
        validator?.weights,
        uids.map((uid, i) => [uid, values[i]]).sort((a, b) => (a[0] as number) - (b[0] as number)),
      );
      assert.equal(validator?.lastUpdate, inclusion.block);
    },
  },
  {
    name: 'rejects signers it cannot sign with, and oversized commitments, before sending',
    async run(h) {
      const foreign: ChainSigner = { address: (h.miners[0] as ChainSigner).address };
      await rejectsWithChainError(h.client.commit(h.netuid, foreign, MODEL));
      await rejectsWithChainError(h.client.commit(h.netuid, h.miners[0] as ChainSigner, 'x'.repeat(129)));
      await rejectsWithChainError(
        h.client.setWeights(h.netuid, h.validator, { uids: [0], values: [70_000] }, 2022),
      );
    },
  },
];
