import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ModelRejectedError } from '@pretrain/core';

/**
 * Write `source` to `to`, expecting exactly `size` bytes. Fails when the body stalls for
 * `stallMs` (the retrying fetch bounds only the wait for headers) and stops at once when
 * the server sends more than the listing announced, so a lying listing cannot fill the
 * disk past the size check.
 *
 * @returns the number of bytes written (less than `size` for a cut-off body).
 * @throws ModelRejectedError `oversize` when the body exceeds `size`.
 */
export async function streamToFile(
  source: ReadableStream<Uint8Array>,
  to: string,
  expected: { readonly label: string; readonly size: number },
  stallMs: number,
  signal?: AbortSignal,
): Promise<number> {
  let written = 0;
  const stalled = new AbortController();
  const stall = () => stalled.abort(new Error(`no data for ${stallMs} ms`));
  let timer = setTimeout(stall, stallMs);
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      clearTimeout(timer);
      timer = setTimeout(stall, stallMs);
      written += chunk.length;
      if (written > expected.size) {
        done(
          new ModelRejectedError(
            'oversize',
            `${expected.label} sends more than the ${expected.size} bytes it lists`,
            {
              hint: 'the repo listing understates its files; the download was discarded',
            },
          ),
        );
        return;
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(source as WebReadableStream), count, createWriteStream(to), {
      signal: signal === undefined ? stalled.signal : AbortSignal.any([signal, stalled.signal]),
    });
  } finally {
    clearTimeout(timer);
  }
  return written;
}
