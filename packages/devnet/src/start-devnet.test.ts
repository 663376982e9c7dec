import { UsageError } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { startDevnet } from './start-devnet.js';

describe('startDevnet options', () => {
  it('refuses out-of-range numbers before starting anything', async () => {
    for (const options of [{ netuid: 0 }, { miners: -1 }, { validators: 1.5 }, { port: 70_000 }]) {
      await expect(startDevnet(options), JSON.stringify(options)).rejects.toBeInstanceOf(UsageError);
    }
  });
});
