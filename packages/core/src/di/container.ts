import type { Token } from './tokens.js';

/** How a token is produced: a value the caller owns, or a factory whose result the scope owns. */
export type Binding<T> = { readonly value: T } | { readonly factory: (scope: Container) => T | Promise<T> };

/** One registration: a token and how to produce it. */
export interface Registration<T = unknown> {
  /** The token being bound. */
  readonly token: Token<T>;
  /** The value, or factory, that the token resolves to. */
  readonly binding: Binding<T>;
}

/** Pairs a token with its binding; the compiler checks that the binding fits the token. */
export function bind<T>(token: Token<T>, binding: Binding<NoInfer<T>>): Registration<T> {
  return { token, binding };
}

interface Disposable {
  dispose?: () => unknown;
  close?: () => unknown;
}

/**
 * The object graph of one command run. Each token is bound explicitly to a value or a
 * factory; a factory runs at most once per scope (concurrent resolves share it) and may
 * be async (plugins are imported). A {@link child} scope keeps its parent's recipes but
 * makes its own instances, so overriding one binding (a test's fake store) also reaches
 * everything resolved through the child that depends on it. {@link dispose} disposes what
 * this scope's factories created, newest first (`dispose()`, else `close()`); bound values
 * belong to whoever bound them and are left alone.
 */
export class Container {
  private readonly bindings: Map<symbol, Binding<unknown>>;
  private readonly made = new Map<symbol, Promise<unknown>>();
  private readonly created: unknown[] = [];
  private readonly children: Container[] = [];
  private disposed = false;

  private constructor(bindings: Map<symbol, Binding<unknown>>) {
    this.bindings = bindings;
  }

  /** A root scope holding `registrations`; a token bound twice keeps the last binding. */
  static create(registrations: readonly Registration[] = []): Container {
    const scope = new Container(new Map());
    for (const r of registrations) scope.bindings.set(r.token, r.binding);
    return scope;
  }

  /** A scope with this one's bindings, `overrides` replacing some, and instances of its own. */
  child(overrides: readonly Registration[] = []): Container {
    this.assertOpen();
    const scope = new Container(new Map(this.bindings));
    for (const r of overrides) scope.bindings.set(r.token, r.binding);
    this.children.push(scope);
    return scope;
  }

  /** Whether `token` is bound here. */
  has(token: Token<unknown>): boolean {
    return this.bindings.has(token);
  }

  /** The instance of `token` in this scope, made on first use. Rejects for an unbound token. */
  resolve<T>(token: Token<T>): Promise<T> {
    this.assertOpen();
    const binding = this.bindings.get(token) as Binding<T> | undefined;
    if (binding === undefined) {
      return Promise.reject(new Error(`nothing is bound to ${token.description ?? 'a token'} in this scope`));
    }
    if ('value' in binding) return Promise.resolve(binding.value);
    let made = this.made.get(token) as Promise<T> | undefined;
    if (made === undefined) {
      made = Promise.resolve()
        .then(() => binding.factory(this))
        .then((instance) => {
          this.created.push(instance);
          return instance;
        });
      this.made.set(token, made);
    }
    return made;
  }

  /**
   * Dispose child scopes, then what this scope's factories made, newest first. Every
   * disposal is attempted; the first failure is rethrown after all have run.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // Instances still being made are waited for, so nothing escapes disposal.
    await Promise.allSettled(this.made.values());
    const failures: unknown[] = [];
    for (const scope of this.children.reverse())
      await scope.dispose().catch((e: unknown) => failures.push(e));
    for (const instance of this.created.reverse()) {
      const d = instance as Disposable | null;
      if (typeof d !== 'object' || d === null) continue;
      try {
        if (typeof d.dispose === 'function') await d.dispose();
        else if (typeof d.close === 'function') await d.close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('this scope has been disposed');
  }
}
