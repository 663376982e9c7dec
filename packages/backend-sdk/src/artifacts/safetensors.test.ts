import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptModelError, UnsupportedModelError } from '../errors/index.js';
import { MAX_SAFETENSORS_HEADER_BYTES, readSafetensorsHeader } from './safetensors.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pretrain-safetensors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A safetensors file from a raw header (object or text) and a data section of `dataBytes`. */
async function file(
  name: string,
  header: unknown,
  dataBytes: number,
  prefixLength?: bigint,
): Promise<string> {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(prefixLength ?? BigInt(json.length));
  const path = join(dir, name);
  await writeFile(path, Buffer.concat([prefix, json, Buffer.alloc(dataBytes)]));
  return path;
}

const t = (dtype: string, shape: number[], begin: number, end: number) => ({
  dtype,
  shape,
  data_offsets: [begin, end],
});

describe('readSafetensorsHeader', () => {
  it('reads tensors with absolute offsets and metadata', async () => {
    const header = { __metadata__: { format: 'pt' }, a: t('F32', [2, 3], 0, 24), b: t('BF16', [4], 24, 32) };
    const path = await file('ok.safetensors', header, 32);
    const parsed = await readSafetensorsHeader(path);
    const headerLength = Buffer.byteLength(JSON.stringify(header));
    expect(parsed.metadata).toEqual({ format: 'pt' });
    expect(parsed.tensors.map((v) => [v.name, v.dtype, v.shape, v.offset, v.length])).toEqual([
      ['a', 'F32', [2, 3], 8 + headerLength, 24],
      ['b', 'BF16', [4], 8 + headerLength + 24, 8],
    ]);
  });

  const corrupt: [string, unknown, number, bigint?][] = [
    ['bad JSON', '{"a": ', 0],
    ['a non-object header', '[1,2]', 0],
    ['offsets past the end (truncated)', { a: t('F32', [4], 0, 16) }, 8],
    ['overlapping tensors', { a: t('F32', [2], 0, 8), b: t('F32', [2], 4, 12) }, 12],
    ['a byte count that does not match the shape', { a: t('F32', [3], 0, 8) }, 8],
    ['reversed offsets', { a: t('F32', [0], 8, 0) }, 8],
    ['a non-integer shape', { a: t('F32', [1.5], 0, 4) }, 4],
    ['trailing bytes', { a: t('F32', [1], 0, 4) }, 12],
    ['a gap between tensors', { a: t('F32', [1], 0, 4), b: t('F32', [1], 8, 12) }, 12],
    ['a header longer than the file', { a: t('F32', [1], 0, 4) }, 4, 10_000n],
    ['a header over the size limit', {}, 0, BigInt(MAX_SAFETENSORS_HEADER_BYTES + 1)],
    ['a 2^64-1 header length', {}, 0, 0xffff_ffff_ffff_ffffn],
  ];
  it.each(corrupt)('rejects %s with CorruptModelError', async (label, header, data, prefix) => {
    const path = await file(`${label.replace(/\W+/g, '-')}.safetensors`, header, data, prefix);
    await expect(readSafetensorsHeader(path)).rejects.toThrow(CorruptModelError);
  });

  it('rejects a header that is not valid UTF-8 (the reference does too)', async () => {
    const valid = Buffer.from(JSON.stringify({ ab: t('F32', [1], 0, 4) }));
    for (const [label, bad] of [
      ['a lone 0xff', Buffer.from([0xff])],
      ['a truncated sequence', Buffer.from([0xc3])],
      ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
      ['a UTF-16 surrogate', Buffer.from([0xed, 0xa0, 0x80])],
    ] as const) {
      const json = Buffer.concat([valid.subarray(0, 3), bad, valid.subarray(3)]);
      const path = await file(`utf8-${label.replace(/\W+/g, '-')}.safetensors`, '', 0);
      const prefix = Buffer.alloc(8);
      prefix.writeBigUInt64LE(BigInt(json.length));
      await writeFile(path, Buffer.concat([prefix, json, Buffer.alloc(4)]));
      await expect(readSafetensorsHeader(path), label).rejects.toThrow(/not valid UTF-8/);
    }
  });

  it('rejects a header with a byte-order mark, as a JSON parser of UTF-8 text does', async () => {
    const path = await file('bom.safetensors', `\ufeff${JSON.stringify({ a: t('F32', [1], 0, 4) })}`, 4);
    await expect(readSafetensorsHeader(path)).rejects.toThrow(/not valid JSON/);
  });

  it('rejects a header over a given limit before reading it', async () => {
    const header = { a: t('F32', [1], 0, 4) };
    const path = await file('limited.safetensors', header, 4);
    const length = Buffer.byteLength(JSON.stringify(header));
    await expect(readSafetensorsHeader(path, { bytes: length - 1, why: 'the test budget' })).rejects.toThrow(
      new RegExp(`header length ${length} exceeds ${length - 1} bytes, the test budget`),
    );
    expect((await readSafetensorsHeader(path, { bytes: length, why: '' })).headerBytes).toBe(length);
  });

  it('rejects a file shorter than the length prefix', async () => {
    const path = join(dir, 'short.safetensors');
    await writeFile(path, Buffer.alloc(5));
    await expect(readSafetensorsHeader(path)).rejects.toThrow(/shorter than the 8-byte length prefix/);
  });

  it('rejects other dtypes by name', async () => {
    const path = await file('i64.safetensors', { a: t('I64', [1], 0, 8) }, 8);
    const error = await readSafetensorsHeader(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedModelError);
    expect((error as Error).message).toMatch(/dtype I64; supported weight dtypes are F32, F16, BF16/);
  });
});
