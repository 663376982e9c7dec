import { describe, expect, it } from 'vitest';
import { compareUtf8 } from './compare-utf8.js';

describe('compareUtf8', () => {
  it('sorts by code point where UTF-16 order differs', () => {
    // U+FF5E (3 UTF-8 bytes) sorts before U+1F600 (4 bytes), as in Python; UTF-16 says otherwise.
    const names = ['\u{1f600}.txt', '\u{ff5e}.txt', 'b', 'B', 'é', 'a'];
    expect([...names].sort(compareUtf8)).toEqual(['B', 'a', 'b', 'é', '\u{ff5e}.txt', '\u{1f600}.txt']);
    expect([...names].sort()).not.toEqual([...names].sort(compareUtf8));
  });

  it('gives 0 only for equal strings', () => {
    expect(compareUtf8('x', 'x')).toBe(0);
    expect(compareUtf8('x', 'xy')).toBeLessThan(0);
  });
});
