import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CorruptModelError, UnsupportedModelError } from '../errors/index.js';
import { DTYPE_SIZES, SUPPORTED_DTYPES, isDtype } from './dtype.js';
import type { TensorView } from './model-spec.js';

/**
 * Largest JSON header accepted. The reference implementation allows 100 MB; a larger
 * length prefix means a damaged or hostile file, and must not make us allocate it.
 */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

/** A tighter header limit than the format's, with why it applies (for the message). */
export interface HeaderLimit {
  /** Most header bytes accepted. */
  readonly bytes: number;
  /** What sets the limit, e.g. "the header budget of a 24-layer config". */
  readonly why: string;
}

/**
 * The format requires UTF-8 (the reference's Rust parser refuses anything else); a
 * decoder that replaced bad bytes would accept damaged names. A BOM is kept, so JSON
 * parsing refuses it as serde does.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A parsed, validated safetensors header. */
export interface SafetensorsHeader {
  /** Absolute path of the file. */
  readonly file: string;
  /** Size of the file in bytes. */
  readonly fileSize: number;
  /** Length of the JSON header in bytes (without the 8-byte prefix). */
  readonly headerBytes: number;
  /** The `__metadata__` string map (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Every tensor, in file order, with absolute offsets. */
  readonly tensors: readonly TensorView[];
}

/**
 * Read and validate the header of a safetensors file without reading tensor data.
 *
 * Checks the header length against the file, {@link MAX_SAFETENSORS_HEADER_BYTES} and
 * `limit` (before reading it), decodes it as strict UTF-8, parses the JSON, accepts only F32/F16/BF16, and checks that every tensor's byte range
 * matches its shape, lies inside the file, and that ranges neither overlap nor leave
 * bytes unaccounted for (between tensors or after the last). Nothing in the file is ever executed.
 *
 * @throws CorruptModelError for any inconsistency; UnsupportedModelError for other dtypes.
 */
export async function readSafetensorsHeader(file: string, limit?: HeaderLimit): Promise<SafetensorsHeader> {
  const path = resolve(file);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new CorruptModelError(`cannot open weight file "${path}": ${(cause as Error).message}`, { cause });
  }
  try {
    const fileSize = (await handle.stat()).size;
    if (fileSize < 8)
      throw corrupt(path, `the file is ${fileSize} bytes, shorter than the 8-byte length prefix`);
    const prefix = Buffer.alloc(8);
    await handle.read(prefix, 0, 8, 0);
    const headerLength = prefix.readBigUInt64LE(0);
    if (headerLength > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) {
      throw corrupt(
        path,
        `header length ${headerLength} exceeds the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit`,
      );
    }
    const n = Number(headerLength);
    if (limit !== undefined && n > limit.bytes)
      throw corrupt(path, `header length ${n} exceeds ${limit.bytes} bytes, ${limit.why}`);
    if (8 + n > fileSize)
      throw corrupt(path, `header length ${n} runs past the end of the ${fileSize}-byte file`);
    const raw = Buffer.alloc(n);
    await handle.read(raw, 0, n, 8);
    let text: string;
    try {
      text = strictUtf8.decode(raw);
    } catch {
      throw corrupt(path, 'the header is not valid UTF-8');
    }
    return parseHeader(path, fileSize, 8 + n, text);
  } finally {
    await handle.close();
  }
}

function parseHeader(path: string, fileSize: number, dataStart: number, text: string): SafetensorsHeader {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw corrupt(path, `the header is not valid JSON (${(cause as Error).message})`);
  }
  if (!isRecord(json)) throw corrupt(path, 'the header is not a JSON object');
  let metadata: Record<string, string> = {};
  const entries: { view: TensorView; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(path, value);
      continue;
    }
    entries.push(parseEntry(path, dataStart, name, value));
  }
  const dataLength = fileSize - dataStart;
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const { view, begin, end } of entries) {
    if (begin < cursor)
      throw corrupt(path, `tensor "${view.name}" (bytes ${begin}..${end}) overlaps the previous one`);
    // The format packs tensors back to back; unaccounted bytes mean a damaged header.
    if (begin > cursor)
      throw corrupt(path, `bytes ${cursor}..${begin} before tensor "${view.name}" belong to no tensor`);
    if (end > dataLength) {
      throw corrupt(
        path,
        `tensor "${view.name}" ends at byte ${end} but the data section has ${dataLength} bytes`,
        true,
      );
    }
    cursor = end;
  }
  if (cursor !== dataLength) {
    throw corrupt(path, `the data section has ${dataLength} bytes but the tensors cover only ${cursor}`);
  }
  return { file: path, fileSize, headerBytes: dataStart - 8, metadata, tensors: entries.map((e) => e.view) };
}

function parseEntry(path: string, dataStart: number, name: string, value: unknown) {
  if (!isRecord(value)) throw corrupt(path, `tensor "${name}" has no {dtype, shape, data_offsets} object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') throw corrupt(path, `tensor "${name}" has no dtype`);
  if (!isDtype(dtype)) {
    throw new UnsupportedModelError(
      `tensor "${name}" in "${path}" has dtype ${dtype}; supported weight dtypes are ${SUPPORTED_DTYPES.join(', ')}`,
      { hint: 'save the model weights as float32, float16 or bfloat16' },
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw corrupt(
      path,
      `tensor "${name}" has shape ${JSON.stringify(shape)}; expected a list of non-negative integers`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isCount) ||
    (offsets[0] as number) > (offsets[1] as number)
  ) {
    throw corrupt(
      path,
      `tensor "${name}" has data_offsets ${JSON.stringify(offsets)}; expected [begin, end]`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const expected = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_SIZES[dtype];
  if (end - begin !== expected) {
    throw corrupt(
      path,
      `tensor "${name}" ${dtype}${JSON.stringify(shape)} needs ${expected} bytes, not ${end - begin}`,
    );
  }
  const view: TensorView = {
    name,
    dtype,
    shape: shape as number[],
    file: path,
    offset: dataStart + begin,
    length: end - begin,
  };
  return { view, begin, end };
}

function parseMetadata(path: string, value: unknown): Record<string, string> {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw corrupt(path, '__metadata__ is not a map of strings');
  }
  return value as Record<string, string>;
}

function corrupt(path: string, detail: string, truncated = false): CorruptModelError {
  return new CorruptModelError(`invalid safetensors file "${path}": ${detail}`, {
    hint: truncated
      ? 'the file looks truncated: download it again'
      : 'the file is damaged: download or save it again',
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
