import { describe, expect, it } from 'vitest';
import { CorruptModelError } from '../errors/index.js';
import { HfConfig } from './hf-config.js';

describe('HfConfig', () => {
  it("reads only the file's own keys, never Object.prototype's", () => {
    const config = new HfConfig({}, 'config.json');
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(config.has(key), key).toBe(false);
      expect(config.string(key, 'fallback'), key).toBe('fallback');
      expect(config.tokenIds(key), key).toEqual([]);
      expect(() => config.int(key), key).toThrow(CorruptModelError);
    }
  });

  it('reads a key named like a prototype member when the file has it', () => {
    const config = new HfConfig(
      JSON.parse('{"__proto__": 5, "constructor": "x"}') as Record<string, unknown>,
      'c',
    );
    expect(config.int('__proto__')).toBe(5);
    expect(config.string('constructor')).toBe('x');
  });
});
