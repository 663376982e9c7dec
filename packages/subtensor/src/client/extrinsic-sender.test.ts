import { TypeRegistry } from '@polkadot/types';
import type { ExtrinsicStatus } from '@polkadot/types/interfaces';
import { describe, expect, it } from 'vitest';
import { inclusionBlockHash } from './extrinsic-sender.js';

const registry = new TypeRegistry();
const status = (value: unknown) => registry.createType('ExtrinsicStatus', value) as ExtrinsicStatus;
const HASH = `0x${'ab'.repeat(32)}`;

describe('inclusionBlockHash', () => {
  it('takes the block of InBlock and of Finalized (which may arrive without InBlock)', () => {
    expect(inclusionBlockHash(status({ inBlock: HASH }))).toBe(HASH);
    expect(inclusionBlockHash(status({ finalized: HASH }))).toBe(HASH);
  });

  it('waits on the statuses before inclusion', () => {
    expect(inclusionBlockHash(status('Ready'))).toBeUndefined();
    expect(inclusionBlockHash(status({ broadcast: ['peer'] }))).toBeUndefined();
    expect(inclusionBlockHash(status('Future'))).toBeUndefined();
  });
});
