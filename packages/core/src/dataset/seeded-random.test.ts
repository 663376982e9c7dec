import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random.js';

const PYTHON = '/usr/bin/python3';
const havePython = existsSync(PYTHON);
if (!havePython && process.env.CI === 'true')
  throw new Error(`${PYTHON} is required for the PRNG goldens in CI`);

// Independent oracle: the same counter-mode construction written with Python's hashlib.
const ORACLE = `
import hashlib, struct, sys
seed, n = sys.argv[1], int(sys.argv[2])
out = []
counter = 0
while len(out) < n:
    block = hashlib.sha256(f"{seed}:{counter}".encode("utf-8")).digest()
    out += list(struct.unpack(">8I", block))
    counter += 1
print(" ".join(map(str, out[:n])))
`;

describe('SeededRandom', () => {
  it.runIf(havePython)('equals a hashlib implementation of sha256 counter mode', () => {
    for (const seed of ['0xabc', 'block-hash é', '']) {
      const expected = execFileSync(PYTHON, ['-c', ORACLE, seed, '20'], { encoding: 'utf8' })
        .trim()
        .split(' ')
        .map(Number);
      const random = new SeededRandom(seed);
      expect(Array.from({ length: 20 }, () => random.nextWord())).toEqual(expected);
    }
  });

  it('is deterministic per seed and differs between seeds', () => {
    const draw = (seed: string) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 10 }, () => random.nextInt(1000));
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('keeps integers in range and covers it', () => {
    const random = new SeededRandom('range');
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const v = random.nextInt(7);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(7);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
    expect(new SeededRandom('one').nextInt(1)).toBe(0);
  });

  it('gives floats in [0, 1)', () => {
    const random = new SeededRandom('float');
    for (let i = 0; i < 100; i++) {
      const v = random.next();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });

  it('refuses a bad range', () => {
    expect(() => new SeededRandom('x').nextInt(0)).toThrow(/range 0/);
    expect(() => new SeededRandom('x').nextInt(1.5)).toThrow(/range/);
  });
});
