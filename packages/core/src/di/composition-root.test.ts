import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { inject, injectable } from 'tsyringe';
import { silentLogger, type Logger } from '../contracts/index.js';
import { bind, createCompositionRoot, resolveToken } from './composition-root.js';
import { TOKENS, token } from './tokens.js';

/** A consumer that names its dependency by token: no decorator metadata is needed. */
class Greeter {
  constructor(readonly logger: Logger) {}
}
// The decorators applied by hand: what `@injectable()` and `@inject(TOKENS.Logger)` compile
// to, written out because vitest's transformer leaves parameter decorators unsupported.
inject(TOKENS.Logger)(Greeter, undefined, 0);
injectable()(Greeter);

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

describe('createCompositionRoot', () => {
  it('resolves values and injects them through @inject(TOKEN)', () => {
    const c = createCompositionRoot([bind(TOKENS.Logger, { value: silentLogger })]);
    expect(resolveToken(c, TOKENS.Logger)).toBe(silentLogger);
    expect(c.resolve(Greeter).logger).toBe(silentLogger);
  });

  it('calls a factory once per root and lets it resolve other tokens', () => {
    const Name = token<string>('test.composition-root.name');
    const Greeting = token<{ text: string }>('test.composition-root.greeting');
    let calls = 0;
    const registrations = [
      bind(Name, { value: 'subnet 9' }),
      bind(Greeting, {
        factory: (dc) => {
          calls += 1;
          return { text: `hello ${resolveToken(dc, Name)}` };
        },
      }),
    ];
    const first = createCompositionRoot(registrations);
    const a = resolveToken(first, Greeting);
    expect(a.text).toBe('hello subnet 9');
    expect(resolveToken(first, Greeting)).toBe(a);
    expect(calls).toBe(1);

    const second = createCompositionRoot(registrations);
    expect(resolveToken(second, Greeting)).not.toBe(a);
    expect(calls).toBe(2);
  });

  it('keeps roots isolated and refuses tokens nobody bound', () => {
    const other: Logger = { ...silentLogger, child: () => other };
    const a = createCompositionRoot([bind(TOKENS.Logger, { value: silentLogger })]);
    const b = createCompositionRoot([bind(TOKENS.Logger, { value: other })]);
    expect(a.resolve(TOKENS.Logger)).toBe(silentLogger);
    expect(b.resolve(TOKENS.Logger)).toBe(other);
    expect(() => a.resolve(TOKENS.ChainClient)).toThrow();
  });
});
