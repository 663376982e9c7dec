import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { CorruptModelError } from '../errors/index.js';
import type { TensorView } from './model-spec.js';

/**
 * Read a tensor's raw little-endian bytes from its file (one positioned read, so huge
 * files are never loaded whole). The returned array owns a fresh, aligned buffer.
 *
 * @throws CorruptModelError when the file is shorter than the view says (truncated).
 */
export async function readTensorBytes(view: TensorView): Promise<Uint8Array> {
  const bytes = new Uint8Array(new ArrayBuffer(view.length));
  const handle = await open(view.file, 'r').catch((cause: unknown) => {
    throw new CorruptModelError(`cannot open weight file "${view.file}": ${(cause as Error).message}`, {
      cause,
    });
  });
  try {
    let done = 0;
    while (done < view.length) {
      const { bytesRead } = await handle.read(bytes, done, view.length - done, view.offset + done);
      if (bytesRead === 0) {
        throw new CorruptModelError(
          `weight file "${view.file}" ends before tensor "${view.name}" (${done} of ${view.length} bytes read)`,
          { hint: 'the file looks truncated: download it again' },
        );
      }
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return bytes;
}

/**
 * Read a tensor as float32 values in row-major order. F16 and BF16 are upcast
 * exactly (every half and bfloat16 value is representable in float32).
 */
export async function readTensorF32(view: TensorView): Promise<Float32Array> {
  return toFloat32(view.dtype, await readTensorBytes(view));
}

/** Convert little-endian F32/F16/BF16 bytes to float32 values. */
export function toFloat32(dtype: TensorView['dtype'], bytes: Uint8Array): Float32Array {
  if (endianness() !== 'LE') throw new CorruptModelError('reading safetensors needs a little-endian machine');
  switch (dtype) {
    case 'F32':
      return new Float32Array(aligned(bytes, 4));
    case 'BF16': {
      const halves = new Uint16Array(aligned(bytes, 2));
      const bits = new Uint32Array(halves.length);
      for (let i = 0; i < halves.length; i++) bits[i] = (halves[i] as number) << 16;
      return new Float32Array(bits.buffer);
    }
    case 'F16': {
      const halves = new Uint16Array(aligned(bytes, 2));
      const out = new Float32Array(halves.length);
      for (let i = 0; i < halves.length; i++) out[i] = halfToFloat(halves[i] as number);
      return out;
    }
  }
}

/** IEEE 754 binary16 bits → the equal float32 value (subnormals, infinities and NaN kept). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The bytes' own buffer when it is exactly theirs and aligned, else an aligned copy. */
function aligned(bytes: Uint8Array, alignment: number): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  if (whole && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  if (bytes.byteLength % alignment !== 0) {
    throw new CorruptModelError(
      `${bytes.byteLength} bytes is not a whole number of ${alignment}-byte values`,
    );
  }
  return bytes.slice().buffer;
}
