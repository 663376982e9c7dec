import { describe, expect, it } from 'vitest';
import { silentLogger } from '../contracts/index.js';
import { MemoryChain } from './testing/memory-chain.js';
import { WeightSetter } from './weight-setter.js';

function setup() {
  const chain = new MemoryChain(9);
  chain.register('5Validator', { validatorPermit: true, stake: 10 });
  chain.register('5A');
  chain.register('5B');
  const failures: string[] = [];
  const setter = new WeightSetter({
    chain,
    netuid: 9,
    signer: chain.signerFor('5Validator'),
    versionKey: 2022,
    blocksPerEpoch: 50,
    logger: silentLogger,
    observer: { onWeightsFailed: ({ message }) => failures.push(message) },
  });
  return { chain, setter, failures };
}

describe('WeightSetter', () => {
  it('sets u16 weights for every uid with the version key, once per epoch', async () => {
    const { chain, setter } = setup();
    expect(await setter.maybeSet([0, 0.75, 0.25])).toBe(true);
    expect(chain.weightHistory).toEqual([
      { hotkey: '5Validator', block: 2, uids: [1, 2], values: [65535, 21845], versionKey: 2022 },
    ]);
    expect(setter.lastSetBlock).toBe(2);
    chain.advance(48);
    expect(await setter.maybeSet([0, 0.5, 0.5])).toBe(false);
    chain.advance(1);
    expect(await setter.maybeSet([0, 0.5, 0.5])).toBe(true);
    expect(chain.weightHistory.at(-1)?.values).toEqual([65535, 65535]);
  });

  it('sets nothing before any step has produced weights', async () => {
    const { chain, setter } = setup();
    expect(await setter.maybeSet([0, 0, 0])).toBe(false);
    expect(chain.weightHistory).toEqual([]);
  });

  it('logs a failed extrinsic and retries at the next epoch, not before', async () => {
    const { chain, setter, failures } = setup();
    const origin = chain.setWeights.bind(chain);
    let fail = true;
    chain.setWeights = (...args) => (fail ? Promise.reject(new Error('rate limited')) : origin(...args));
    expect(await setter.maybeSet([0, 1, 0])).toBe(false);
    expect(failures).toEqual(['rate limited']);
    fail = false;
    chain.advance(10);
    expect(await setter.maybeSet([0, 1, 0])).toBe(false);
    chain.advance(40);
    expect(await setter.maybeSet([0, 1, 0])).toBe(true);
  });
});
