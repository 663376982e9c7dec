import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { Token } from './tokens.js';

/** A value or a factory for one token; factories see the container (for their dependencies). */
export type Binding<T> = { readonly value: T } | { readonly factory: (c: DependencyContainer) => T };

/** One registration of a composition root: a token and how to produce it. */
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

/** `container.resolve(token)`, typed by the token. */
export function resolveToken<T>(container: DependencyContainer, token: Token<T>): T {
  return container.resolve<T>(token);
}

/**
 * Build an isolated container for one run of a command: every token explicitly bound,
 * factories cached as singletons so each port has one instance per run.
 */
export function createCompositionRoot(registrations: readonly Registration[]): DependencyContainer {
  const c = rootContainer.createChildContainer();
  for (const { token, binding } of registrations) {
    if ('value' in binding) {
      c.register(token, { useValue: binding.value });
    } else {
      let made = false;
      let instance: unknown;
      c.register(token, {
        useFactory: (dc) => {
          if (!made) {
            instance = binding.factory(dc);
            made = true;
          }
          return instance;
        },
      });
    }
  }
  return c;
}
