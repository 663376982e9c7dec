import { isBackendPath, UsageError } from '@pretrain/backend-sdk';

/**
 * The kinds of plugin `pretrain` loads, each named by one flag: `--backend`,
 * `--model-store`, `--dataset`, `--network`'s chain plugin. Package names follow one
 * rule for all of them (see {@link resolvePluginCandidates}).
 */
export type PluginKind = 'backend' | 'store' | 'dataset' | 'chain';

/** The plugins this project publishes as packages `@pretrain/<kind>-<name>`, per kind. */
export const PUBLISHED_PLUGINS: Readonly<Record<PluginKind, readonly string[]>> = Object.freeze({
  backend: ['onnx', 'tfjs', 'native'],
  store: [],
  dataset: [],
  chain: [],
});

/** True for `./x.js`, `../x.js`, `/abs/x.js`, `C:\x.js` or a `file:` URL: a module, not a package name. */
export const isPluginPath: (name: string) => boolean = isBackendPath;

// npm package name rules: lowercase URL-safe characters, optional @scope.
const SEGMENT = /^[a-z0-9][a-z0-9._~-]*$/;

/**
 * The module specifiers a plugin name of `kind` stands for (docs/PLUGINS.md), in the
 * order they are tried; `<kind>` is `backend`, `store`, `dataset` or `chain`:
 *
 * - a name of {@link PUBLISHED_PLUGINS} → `@pretrain/<kind>-<name>` (e.g. `@pretrain/backend-onnx`)
 * - `foo` → `pretrain-<kind>-foo`
 * - `@acme` → `@acme/pretrain-<kind>`; `@acme/foo` → `@acme/pretrain-<kind>-foo`
 * - a path (`./x.js`, `/abs/x.js`, a package directory) → that module
 *
 * Names that already are full plugin package names (`pretrain-store-foo`,
 * `@acme/pretrain-store-foo`, `@pretrain/backend-onnx`) stand for themselves. Throws a
 * `UsageError` for a value that can be neither a package name nor a path.
 */
export function resolvePluginCandidates(kind: PluginKind, name: string): string[] {
  const value = name.trim();
  const published = PUBLISHED_PLUGINS[kind];
  const examples = `\`foo\` (pretrain-${kind}-foo), \`@scope\`, \`@scope/foo\` or ./path/to/plugin.js`;
  const known = published.length > 0 ? `${published.join(', ')}, ` : '';
  if (value === '') {
    throw new UsageError(`empty ${kind} name`, { hint: `use ${known}${examples}` });
  }
  if (isPluginPath(value)) return [value];
  const invalid = (): never => {
    throw new UsageError(`invalid ${kind} name ${JSON.stringify(name)}: not a package name or a path`, {
      hint: `use ${known}${examples}`,
    });
  };
  const prefix = `pretrain-${kind}`;
  if (value.startsWith('@')) {
    const [scope = '', rest, ...extra] = value.slice(1).split('/');
    if (!SEGMENT.test(scope) || extra.length > 0) return invalid();
    if (rest === undefined) return [`@${scope}/${prefix}`];
    if (!SEGMENT.test(rest)) return invalid();
    if (scope === 'pretrain' && rest.startsWith(`${kind}-`)) return [value];
    if (rest === prefix || rest.startsWith(`${prefix}-`)) return [value];
    return [`@${scope}/${prefix}-${rest}`];
  }
  if (!SEGMENT.test(value)) return invalid();
  if (published.includes(value)) return [`@pretrain/${kind}-${value}`];
  if (value.startsWith(`${prefix}-`)) return [value];
  return [`${prefix}-${value}`];
}
