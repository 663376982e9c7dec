import { UsageError } from '@pretrain/core';

// SS58 addresses are base58 (no 0, O, I, l); substrate's generic format is 47-48 characters.
const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;

/**
 * Check that `value`, given to `flag`, looks like an SS58 hotkey address (alphabet and
 * length; the checksum is the chain's business). Catches the common slip of passing a
 * wallet or hotkey name where the address is wanted.
 *
 * @throws UsageError quoting the value.
 */
export function checkHotkeyAddress(value: string, flag = '--hotkey'): string {
  if (!SS58.test(value)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not an SS58 address`, {
      hint: 'pass the hotkey address (e.g. 5F...), not the wallet or hotkey name',
    });
  }
  return value;
}
