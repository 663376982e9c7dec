import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { logger as polkadotLogger } from '@polkadot/util';
import { bridgeConsole } from './console-bridge.js';
import { createLogger } from './create-logger.js';

function capture() {
  let text = '';
  const logger = createLogger({
    stream: { write: (c: string) => (text += c) },
    format: 'json',
    verbose: true,
  });
  const lines = () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

const fakeConsole = () => {
  const raw: string[] = [];
  const write = (...args: unknown[]) => raw.push(args.map(String).join(' '));
  return { raw, console: { log: write, info: write, debug: write, trace: write, warn: write, error: write } };
};

describe('bridgeConsole', () => {
  it("turns polkadot-js's own logger lines into JSON lines with their origin, a dependency error as a warning", () => {
    const { logger, lines } = capture();
    const fake = fakeConsole();
    const restore = bridgeConsole({ logger, console: fake.console });
    // The real @polkadot/util logger writes through the global console: swap it for the test.
    const saved = globalThis.console.error;
    globalThis.console.error = fake.console.error;
    try {
      polkadotLogger('rpc-core').error(
        'getHeader(hash?: BlockHash): Header:: WebSocket is not connected\nFailed WS Request: {"method":"chain_getHeader"}',
      );
    } finally {
      globalThis.console.error = saved;
      restore();
    }
    expect(fake.raw).toEqual([]);
    const [line] = lines();
    expect(line).toMatchObject({ level: 'warn', origin: 'polkadot/rpc-core' });
    expect(line!.msg).toMatch(/^getHeader.*WebSocket is not connected\nFailed WS Request/);
  });

  it('keeps other console output ours too: levels by method, repeats counted, the console restored', () => {
    const { logger, lines } = capture();
    const fake = fakeConsole();
    const original = fake.console.warn;
    let clock = 0;
    const restore = bridgeConsole({ logger, console: fake.console, now: () => clock, repeatWindowMs: 1000 });
    fake.console.log('hello %s', 'world');
    fake.console.error(new Error('boom'));
    fake.console.warn('banner');
    clock = 500;
    fake.console.warn('banner');
    fake.console.warn('banner');
    clock = 1500;
    fake.console.warn('banner');
    restore();
    expect(fake.console.warn).toBe(original);
    fake.console.warn('after');
    expect(fake.raw).toEqual(['after']);
    const got = lines().map(({ level, msg, origin, repeatedBefore }) => ({
      level,
      msg,
      origin,
      repeatedBefore,
    }));
    expect(got[0]).toEqual({
      level: 'info',
      msg: 'hello world',
      origin: 'console',
      repeatedBefore: undefined,
    });
    expect(got[1]).toMatchObject({ level: 'error', origin: 'console' });
    expect(got[1]!.msg).toMatch(/^Error: boom/);
    expect(got.slice(2)).toEqual([
      { level: 'warn', msg: 'banner', origin: 'console', repeatedBefore: undefined },
      { level: 'warn', msg: 'banner', origin: 'console', repeatedBefore: 2 },
    ]);
  });

  it("logs Node's process warnings instead of letting Node print them, and gives the listeners back", () => {
    const { logger, lines } = capture();
    const fake = fakeConsole();
    const emitter = new EventEmitter();
    const printed: string[] = [];
    const defaultPrinter = (w: Error) => printed.push(w.message);
    emitter.on('warning', defaultPrinter);
    const restore = bridgeConsole({ logger, console: fake.console, warnings: emitter });
    emitter.emit(
      'warning',
      Object.assign(new Error('too many listeners'), { name: 'MaxListenersExceededWarning' }),
    );
    restore();
    expect(printed).toEqual([]);
    expect(lines()).toMatchObject([
      { level: 'warn', msg: 'too many listeners', origin: 'node', warning: 'MaxListenersExceededWarning' },
    ]);
    expect(emitter.listeners('warning')).toEqual([defaultPrinter]);
  });
});
