import { UsageError, isBackendPath } from '@pretrain/backend-sdk';

/** The backends this project publishes, by their short `--backend` names. */
export const KNOWN_BACKENDS = ['onnx', 'tfjs', 'native'] as const;

// npm package name rules: lowercase URL-safe characters, optional @scope.
const SEGMENT = /^[a-z0-9][a-z0-9._~-]*$/;

/**
 * The module specifiers a `--backend` value stands for (docs/ARCHITECTURE.md, "Plugins"),
 * in the order they are tried:
 *
 * - `onnx` | `tfjs` | `native` → `@pretrain/backend-<name>`
 * - `foo` → `pretrain-backend-foo`
 * - `@acme` → `@acme/pretrain-backend`; `@acme/foo` → `@acme/pretrain-backend-foo`
 * - a path (`./x.js`, `/abs/x.js`) → that module
 *
 * Names that already are full plugin package names (`pretrain-backend-foo`,
 * `@acme/pretrain-backend-foo`, `@pretrain/backend-onnx`) stand for themselves. Throws a
 * `UsageError` for a value that can be neither a package name nor a path.
 */
export function resolveBackendCandidates(name: string): string[] {
  const value = name.trim();
  if (value === '') {
    throw new UsageError('empty backend name', {
      hint: `use one of ${KNOWN_BACKENDS.join(', ')}, a package or a path`,
    });
  }
  if (isBackendPath(value)) return [value];
  const invalid = (): never => {
    throw new UsageError(`invalid backend name ${JSON.stringify(name)}: not a package name or a path`, {
      hint: `use one of ${KNOWN_BACKENDS.join(', ')}, \`foo\` (pretrain-backend-foo), \`@scope\`, \`@scope/foo\` or ./path/to/plugin.js`,
    });
  };
  if (value.startsWith('@')) {
    const [scope = '', rest, ...extra] = value.slice(1).split('/');
    if (!SEGMENT.test(scope) || extra.length > 0) return invalid();
    if (rest === undefined) return [`@${scope}/pretrain-backend`];
    if (!SEGMENT.test(rest)) return invalid();
    if (scope === 'pretrain' && rest.startsWith('backend-')) return [value];
    if (rest === 'pretrain-backend' || rest.startsWith('pretrain-backend-')) return [value];
    return [`@${scope}/pretrain-backend-${rest}`];
  }
  if (!SEGMENT.test(value)) return invalid();
  if ((KNOWN_BACKENDS as readonly string[]).includes(value)) return [`@pretrain/backend-${value}`];
  if (value.startsWith('pretrain-backend-')) return [value];
  return [`pretrain-backend-${value}`];
}
