import { describe, expect, it } from 'vitest';
import { renderTable } from './render-table.js';
import { writeJson } from './write-json.js';

describe('renderTable', () => {
  it('pads columns to the widest cell, right-aligning numbers, without trailing blanks', () => {
    const text = renderTable(
      [{ header: 'name' }, { header: 'n', align: 'right' }, { header: 'note' }],
      [
        ['a', '1', ''],
        ['long', '100', 'x'],
      ],
    );
    expect(text).toBe('name    n  note\na       1\nlong  100  x\n');
  });

  it('escapes control characters in cells, so a hostile cell neither breaks rows nor drives the terminal', () => {
    const text = renderTable([{ header: 'data' }, { header: 'n' }], [['ns/m\rX\n\u001b[31m', '1']]);
    expect(text).toBe('data               n\nns/m\\rX\\n\\x1b[31m  1\n');
  });
});

describe('writeJson', () => {
  it('writes non-finite numbers as null', () => {
    let out = '';
    writeJson({ write: (c: string) => (out += c) }, { a: [1, Infinity, NaN] }, { pretty: false });
    expect(out).toBe('{"a":[1,null,null]}\n');
  });

  it('escapes the controls JSON.stringify leaves raw (DEL, C1, bidi)', () => {
    let out = '';
    writeJson({ write: (c: string) => (out += c) }, { s: '\u009b\u007f\u202e' }, { pretty: false });
    expect(out).toBe('{"s":"\\u009b\\u007f\\u202e"}\n');
  });
});
