import { createServer } from 'node:net';
import { ChainError } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { connectApi } from './connect-api.js';

/** A port that was free a moment ago: nothing listens there, so connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connectApi', () => {
  it('fails on a refused endpoint at once, with the socket error, not after its timeout', async () => {
    const endpoint = `ws://127.0.0.1:${await closedPort()}`;
    // The timeout is longer than this test's own limit: only an early failure can pass.
    const error = await connectApi({ endpoint, timeoutMs: 60_000, reconnectDelayMs: 100 }).catch((e) => e);
    expect(error).toBeInstanceOf(ChainError);
    expect(error.message).toContain(`cannot connect to ${endpoint}`);
    expect(error.message).not.toContain('timed out');
    expect(error.message).toMatch(/ECONNREFUSED|refused/);
    expect(error.hint).toContain(endpoint);
  }, 15_000);
});
