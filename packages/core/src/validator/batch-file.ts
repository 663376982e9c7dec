import { readFile, writeFile } from 'node:fs/promises';
import type { TokenBatch } from '../contracts/index.js';
import { UsageError } from '@pretrain/backend-sdk';

/** Shape of the batches stored in a batch file: `count × rows × sequenceLength` tokens. */
export interface BatchShape {
  readonly count: number;
  readonly rows: number;
  readonly sequenceLength: number;
}

/**
 * Write a step's batches as raw Int32 tokens (machine byte order: parent and child share the machine), so every evaluation child
 * reads the same batches without pushing megabytes through IPC. Returns their shape.
 */
export async function writeBatchFile(path: string, batches: readonly TokenBatch[]): Promise<BatchShape> {
  const rows = batches[0]?.length ?? 0;
  const sequenceLength = batches[0]?.[0]?.length ?? 0;
  const data = new Int32Array(batches.length * rows * sequenceLength);
  let at = 0;
  for (const batch of batches) {
    for (const row of batch) {
      if (batch.length !== rows || row.length !== sequenceLength) {
        throw new UsageError(
          `batches must all be ${rows} × ${sequenceLength} tokens, got a row of ${row.length} in a batch of ${batch.length}`,
        );
      }
      data.set(row, at);
      at += sequenceLength;
    }
  }
  await writeFile(path, new Uint8Array(data.buffer));
  return { count: batches.length, rows, sequenceLength };
}

/** Read batches written by {@link writeBatchFile}; the size must match `shape` exactly. */
export async function readBatchFile(path: string, shape: BatchShape): Promise<number[][][]> {
  const bytes = await readFile(path);
  const expected = shape.count * shape.rows * shape.sequenceLength * 4;
  if (bytes.byteLength !== expected) {
    throw new UsageError(`batch file ${path} holds ${bytes.byteLength} bytes, expected ${expected}`);
  }
  // An Int32Array view needs a 4-byte aligned offset; copy in the rare case it is not.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  const tokens = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  const batches: number[][][] = [];
  let at = 0;
  for (let b = 0; b < shape.count; b++) {
    const batch: number[][] = [];
    for (let r = 0; r < shape.rows; r++) {
      batch.push(Array.from(tokens.subarray(at, at + shape.sequenceLength)));
      at += shape.sequenceLength;
    }
    batches.push(batch);
  }
  return batches;
}
