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
});

describe('writeJson', () => {
  it('writes non-finite numbers as null', () => {
    let out = '';
    writeJson({ write: (c: string) => (out += c) }, { a: [1, Infinity, NaN] }, { pretty: false });
    expect(out).toBe('{"a":[1,null,null]}\n');
  });
});
