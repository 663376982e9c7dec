import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FALCON_DATASET_ID, FINEWEB_EDU_DATASET_ID } from './page-draws.js';
import { createPageRandom } from './seeded-random.js';

const PYTHON = '/usr/bin/python3';
const havePython = existsSync(PYTHON);
if (!havePython && process.env.CI === 'true')
  throw new Error(`${PYTHON} is required for the page-draw goldens in CI`);

// Independent oracle, written with Python's hashlib: draw n is the first 6 bytes of
// sha256(domain \0 seed \0 n), big-endian; values at or above the largest multiple of the
// range size below 2^48 are drawn again.
const ORACLE = `
import hashlib, json, sys
domain, seed, ranges = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
span, n, out = 2 ** 48, 0, []
for lo, hi in ranges:
    size = hi - lo + 1
    while True:
        value = int.from_bytes(hashlib.sha256(f"{domain}\\0{seed}\\0{n}".encode("utf-8")).digest()[:6], "big")
        n += 1
        if value < span - span % size:
            out.append(lo + value % size)
            break
print(json.dumps(out))
`;

describe('createPageRandom', () => {
  // Falcon's page range, FineWeb's config index and offsets, a range of one, the widest.
  const ranges: [number, number][] = [
    [1, 968_000_015],
    [0, 2],
    [0, 9_999_899],
    [5, 5],
    [0, 2 ** 48 - 1],
    [1, 968_000_015],
    [0, 6],
  ];

  it.runIf(havePython)('draws what a hashlib implementation draws, per dataset domain', () => {
    for (const [domain, seed] of [
      [FALCON_DATASET_ID, '0x5f3a9c'],
      [FINEWEB_EDU_DATASET_ID, 'block-0xabc é'],
    ] as const) {
      const expected = JSON.parse(
        execFileSync(PYTHON, ['-c', ORACLE, domain, seed, JSON.stringify(ranges)], { encoding: 'utf8' }),
      ) as number[];
      const random = createPageRandom(seed, domain);
      expect(ranges.map(([lo, hi]) => random.int(lo, hi))).toEqual(expected);
    }
  });

  it('refuses a range it cannot draw from', () => {
    const random = createPageRandom('s', 'd');
    expect(() => random.int(3, 2)).toThrow(/cannot draw from \[3, 2\]/);
    expect(() => random.int(0, 2 ** 48)).toThrow(RangeError);
  });
});
