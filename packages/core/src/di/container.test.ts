import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../contracts/index.js';
import { bind, Container } from './container.js';
import { TOKENS, token } from './tokens.js';

const Name = token<string>('test.container.name');
const Greeting = token<{ text: string; close(): void }>('test.container.greeting');

describe('TOKENS', () => {
  it('gives every contract its own process-wide symbol', () => {
    const symbols = Object.values(TOKENS);
    expect(new Set(symbols).size).toBe(symbols.length);
    // Symbol.for keys survive duplicated module copies (a plugin bundling its own core).
    expect(TOKENS.ChainClient).toBe(Symbol.for('pretrain.ChainClient'));
    expect(token('pretrain.Logger')).toBe(TOKENS.Logger);
    expect(Object.isFrozen(TOKENS)).toBe(true);
    for (const [name, symbol] of Object.entries(TOKENS)) expect(symbol.description).toBe(`pretrain.${name}`);
  });
});

describe('Container', () => {
  const greeting = (log: string[]) =>
    bind(Greeting, {
      factory: async (scope) => {
        const name = await scope.resolve(Name);
        log.push(`made ${name}`);
        return { text: `hello ${name}`, close: () => log.push(`closed ${name}`) };
      },
    });

  it('resolves values, and makes each factory once per scope even when resolved concurrently', async () => {
    const log: string[] = [];
    const root = Container.create([bind(Name, { value: 'subnet 9' }), greeting(log)]);
    const [a, b] = await Promise.all([root.resolve(Greeting), root.resolve(Greeting)]);
    expect(a.text).toBe('hello subnet 9');
    expect(b).toBe(a);
    expect(log).toEqual(['made subnet 9']);
    await expect(root.resolve(TOKENS.ChainClient)).rejects.toThrow(/pretrain\.ChainClient/);
  });

  it('lets a child override a binding that a parent recipe depends on, with instances of its own', async () => {
    const log: string[] = [];
    const root = Container.create([bind(Name, { value: 'finney' }), greeting(log)]);
    const child = root.child([bind(Name, { value: 'devnet' })]);
    expect((await child.resolve(Greeting)).text).toBe('hello devnet');
    expect((await root.resolve(Greeting)).text).toBe('hello finney');
    expect(child.has(Greeting)).toBe(true);
  });

  it('disposes what its factories made, children first and newest first, never bound values', async () => {
    const log: string[] = [];
    const owned: Logger = { ...silentLogger, child: () => owned };
    let valueClosed = false;
    const Value = token<{ close(): void }>('test.container.value');
    const root = Container.create([
      bind(Name, { value: 'root' }),
      greeting(log),
      bind(Value, { value: { close: () => (valueClosed = true) } }),
      bind(TOKENS.Logger, { value: owned }),
    ]);
    await root.resolve(Greeting);
    await root.resolve(Value);
    const child = root.child([bind(Name, { value: 'child' })]);
    await child.resolve(Greeting);
    await root.dispose();
    expect(log).toEqual(['made root', 'made child', 'closed child', 'closed root']);
    expect(valueClosed).toBe(false);
    await root.dispose(); // idempotent
    expect(log).toHaveLength(4);
    expect(() => root.resolve(Name)).toThrow(/disposed/);
  });

  it('runs every disposal even when one fails, then reports the failure', async () => {
    const A = token<{ dispose(): void }>('test.container.a');
    const B = token<{ dispose(): void }>('test.container.b');
    let disposedA = false;
    const root = Container.create([
      bind(A, { factory: () => ({ dispose: () => (disposedA = true) }) }),
      bind(B, {
        factory: () => ({
          dispose: () => {
            throw new Error('b failed');
          },
        }),
      }),
    ]);
    await root.resolve(A);
    await root.resolve(B);
    await expect(root.dispose()).rejects.toThrow('b failed');
    expect(disposedA).toBe(true);
  });
});
