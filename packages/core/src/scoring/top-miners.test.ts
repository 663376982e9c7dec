import { describe, expect, it } from 'vitest';
import type { Metagraph, Neuron } from '../contracts/chain-client.js';
import { findTopMiners, topValidators } from './top-miners.js';

function neuron(
  uid: number,
  stake: number,
  validatorPermit: boolean,
  weights: [number, number][] = [],
): Neuron {
  return {
    uid,
    hotkey: `hk${uid}`,
    coldkey: `ck${uid}`,
    stake,
    validatorPermit,
    incentive: 0,
    lastUpdate: 0,
    weights,
  };
}

function metagraph(neurons: Neuron[]): Metagraph {
  return { netuid: 9, block: 100, neurons };
}

describe('topValidators', () => {
  it('orders permit holders by stake, higher uid first on equal stake', () => {
    const mg = metagraph([neuron(0, 5, true), neuron(1, 9, false), neuron(2, 5, true), neuron(3, 7, true)]);
    expect(topValidators(mg)).toEqual([3, 2, 0]);
    expect(topValidators(mg, 2)).toEqual([3, 2]);
  });
});

describe('findTopMiners', () => {
  it('finds miners holding more than half of a top validator weight', () => {
    const mg = metagraph([
      neuron(0, 100, true, [
        [5, 40_000],
        [6, 30_000],
      ]),
      neuron(1, 90, true, [
        [6, 65_535],
        [7, 1],
      ]),
      neuron(2, 80, true, [
        [5, 100],
        [6, 100],
      ]),
      neuron(3, 1_000, false, [[8, 65_535]]),
      neuron(4, 1, true, []),
      neuron(5, 0, false),
      neuron(6, 0, false),
      neuron(7, 0, false),
      neuron(8, 0, false),
    ]);
    // uid 2 splits evenly (exactly half is not more than half); uid 3 has no permit.
    expect(findTopMiners(mg)).toEqual([5, 6]);
  });

  it('only asks the top validators by stake', () => {
    const valis = Array.from({ length: 11 }, (_, uid) => neuron(uid, 100 - uid, true, [[20 + uid, 1]]));
    expect(findTopMiners(metagraph(valis))).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(findTopMiners(metagraph(valis), 2)).toEqual([20, 21]);
  });

  it('is empty for an empty metagraph', () => {
    expect(findTopMiners(metagraph([]))).toEqual([]);
  });
});
