import { describe, expect, it } from 'vitest';
import { escapeControl, oneLine } from './escape-control.js';

// Escapes written out by hand from the character tables (C0, DEL, C1, U+2028/9, bidi).
describe('escapeControl', () => {
  it('shows every control character as a visible escape, leaving other text alone', () => {
    expect(escapeControl('a\rb\nc\td')).toBe('a\\rb\\nc\\td');
    expect(escapeControl('\u001b[31mred\u001b]0;title\u0007')).toBe('\\x1b[31mred\\x1b]0;title\\x07');
    expect(escapeControl('\u0000\u007f\u009b\u0085')).toBe('\\x00\\x7f\\x9b\\x85');
    expect(escapeControl('x\u202eevil\u2066\u2028')).toBe('x\\u{202e}evil\\u{2066}\\u{2028}');
    expect(escapeControl('C:\\path é 中 🙂')).toBe('C:\\path é 中 🙂');
  });

  it('keeps JSON valid and equal in value in the json style', () => {
    const json = JSON.stringify({ s: 'a\u009b\u007f\u202eb\u001b' });
    const escaped = escapeControl(json, 'json');
    expect(escaped).toBe('{"s":"a\\u009b\\u007f\\u202eb\\u001b"}');
    expect(JSON.parse(escaped)).toEqual(JSON.parse(json));
    const pretty = JSON.stringify({ s: '\u009b' }, undefined, 2);
    expect(escapeControl(pretty, 'json')).toBe('{\n  "s": "\\u009b"\n}');
  });

  it('oneLine joins a multi-line hint with spaces, then escapes the rest', () => {
    expect(oneLine('first line\n   second\r\nthird\r')).toBe('first line second third');
    expect(oneLine('a\rb\u001b[2J')).toBe('a\\rb\\x1b[2J');
  });
});
