import { describe, expect, it } from 'vitest';
import { checkHotkeyAddress } from './hotkey-address.js';

describe('checkHotkeyAddress', () => {
  it('accepts an SS58 address', () => {
    const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    expect(checkHotkeyAddress(alice)).toBe(alice);
  });

  it.each(['default', '', '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQ0', 'x'.repeat(49)])(
    'refuses %j, naming the flag',
    (value) => {
      expect(() => checkHotkeyAddress(value, '--miner')).toThrow(
        expect.objectContaining({
          message: `--miner ${JSON.stringify(value)} is not an SS58 address`,
          hint: expect.stringContaining('not the wallet or hotkey name'),
        }),
      );
    },
  );
});
