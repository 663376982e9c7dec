import { describe, expect, it } from 'vitest';
import { topLevelNumberLiterals } from './json-number-literals.js';

describe('topLevelNumberLiterals', () => {
  it('tells int literals from float ones per top-level key, nested values included', () => {
    const text =
      '{"a": 2, "b": 2.0, "c": [[1, 2.5]], "d": {"x": -1E3, "y": "9.5"}, "e": "3.0", "k\\"ey": [7], "a": 1.5e-2}';
    const literals = Object.fromEntries(topLevelNumberLiterals(text));
    expect(literals).toEqual({
      // A repeated key keeps its last value's literals, as JSON.parse and Python do.
      a: { int: false, float: true },
      b: { int: false, float: true },
      c: { int: true, float: true },
      d: { int: false, float: true },
      e: { int: false, float: false },
      'k"ey': { int: true, float: false },
    });
  });

  it('ignores numbers inside strings and keys of nested objects', () => {
    const literals = topLevelNumberLiterals('{"s": "1, 2.0 ]}", "o": {"n": 5, "m": [1.0]}}');
    expect(literals.get('s')).toEqual({ int: false, float: false });
    expect(literals.get('o')).toEqual({ int: true, float: true });
    expect(literals.has('n')).toBe(false);
  });
});
