import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';

/** A value or a factory for one token; factories see the container (for their dependencies). */
export type Binding<T> = { readonly value: T } | { readonly factory: (c: DependencyContainer) => T };

/** One registration of a composition root: a token and how to produce it. */
export interface Registration<T = unknown> {
  /** The token being bound. */
  readonly token: InjectionToken<T>;
  /** The value, or factory, that the token resolves to. */
  readonly binding: Binding<T>;
}

/** Pairs a token with its binding, keeping the two types in step. */
export function bind<T>(token: InjectionToken<T>, binding: Binding<T>): Registration<T> {
  return { token, binding };
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
