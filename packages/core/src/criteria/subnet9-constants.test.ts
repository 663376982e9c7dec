import { describe, expect, it } from 'vitest';
import { SUBNET9_CONSTANTS } from './subnet9-constants.js';

describe('SUBNET9_CONSTANTS', () => {
  it('derives the version key as 1000·major + 10·minor + patch of the schema version', () => {
    const [major, minor, patch] = SUBNET9_CONSTANTS.validatorVersion.split('.').map(Number) as [
      number,
      number,
      number,
    ];
    expect(SUBNET9_CONSTANTS.versionKey).toBe(1000 * major + 10 * minor + patch);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(SUBNET9_CONSTANTS)).toBe(true);
  });
});
