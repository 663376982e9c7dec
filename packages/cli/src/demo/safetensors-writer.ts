import { writeFile } from 'node:fs/promises';

/** One F32 tensor to write: its name, row-major shape and values. */
export interface F32Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Write `tensors` as a safetensors file (8-byte little-endian header length, JSON
 * header padded with spaces to a multiple of 8, then the raw little-endian data in
 * the given order). Only what the demo models need: F32, no metadata.
 */
export async function writeSafetensors(path: string, tensors: readonly F32Tensor[]): Promise<void> {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new RangeError(
        `tensor "${t.name}": shape [${t.shape.join(', ')}] needs ${count} values, got ${t.data.length}`,
      );
    }
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    // Node and every supported platform are little-endian, as safetensors requires.
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, at);
    at += t.data.byteLength;
  }
  await writeFile(path, out);
}
