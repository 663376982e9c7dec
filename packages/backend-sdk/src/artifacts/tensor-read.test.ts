import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptModelError } from '../errors/index.js';
import type { Dtype, TensorView } from './model-spec.js';
import { halfToFloat, readTensorF32, toFloat32 } from './tensor-read.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pretrain-tensor-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const u16 = (...values: number[]) => new Uint8Array(new Uint16Array(values).buffer);

describe('toFloat32', () => {
  it('upcasts BF16 exactly', () => {
    expect([...toFloat32('BF16', u16(0x3f80, 0xc020, 0x7f80, 0x0001))]).toEqual([
      1,
      -2.5,
      Infinity,
      2 ** -133,
    ]);
  });

  it('upcasts F16 exactly, subnormals and infinities included', () => {
    const values = [...toFloat32('F16', u16(0x3c00, 0xc000, 0x0001, 0x7bff, 0xfc00, 0x3555))];
    expect(values).toEqual([1, -2, 2 ** -24, 65504, -Infinity, 0.333251953125]);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('reads F32 from an unaligned view', () => {
    const bytes = new Uint8Array(5);
    new DataView(bytes.buffer).setFloat32(1, 1.5, true);
    expect([...toFloat32('F32', bytes.subarray(1))]).toEqual([1.5]);
  });
});

describe('readTensorF32', () => {
  const view = (file: string, dtype: Dtype, offset: number, count: number): TensorView => ({
    name: 'w',
    dtype,
    shape: [count],
    file,
    offset,
    length: count * (dtype === 'F32' ? 4 : 2),
  });

  it('reads a tensor at its offset', async () => {
    const file = join(dir, 'w.bin');
    const data = Buffer.alloc(3 + 8);
    data.writeFloatLE(0.25, 3);
    data.writeFloatLE(-7, 7);
    await writeFile(file, data);
    expect([...(await readTensorF32(view(file, 'F32', 3, 2)))]).toEqual([0.25, -7]);
  });

  it('rejects a truncated file with CorruptModelError', async () => {
    const file = join(dir, 'cut.bin');
    await writeFile(file, Buffer.alloc(16));
    await truncate(file, 10);
    await expect(readTensorF32(view(file, 'F32', 0, 4))).rejects.toThrow(CorruptModelError);
  });
});
