import { pathToFileURL } from 'node:url';
import { PluginNotFoundError, PretrainError, resolveModuleFrom } from '@pretrain/backend-sdk';
import { isPluginPath, PUBLISHED_PLUGINS, resolvePluginCandidates, type PluginKind } from './plugin-names.js';

/** A loaded plugin and the module it came from. */
export interface LocatedPlugin<P> {
  /** The validated plugin object (the module's default export). */
  readonly plugin: P;
  /** The specifier that resolved (`@pretrain/backend-onnx`, `pretrain-store-x`, `./x.js`). */
  readonly specifier: string;
  /** The module file imported. */
  readonly file: string;
}

/** Options of {@link locatePlugin}. */
export interface LocatePluginOptions<P> {
  /** Directory the name resolves from (the user's project), never the CLI's own location. */
  readonly cwd: string;
  /** Check the imported namespace and return its plugin (throws `PluginContractError`). */
  readonly validate: (namespace: unknown, specifier: string) => P;
  /** The error to throw when nothing loads (default {@link PluginNotFoundError}). */
  readonly notFound?: new (
    message: string,
    tried: readonly { specifier: string; reason: string }[],
    options: { hint: string },
  ) => PretrainError;
}

/**
 * Find, import and validate the plugin of `kind` that `name` stands for (one naming rule
 * for every kind: {@link resolvePluginCandidates}), resolving from `cwd` as `import`
 * would. Never falls back to another plugin. Rejects with `notFound` listing each
 * specifier tried and why, and with `UsageError` for a malformed name.
 */
export async function locatePlugin<P>(
  kind: PluginKind,
  name: string,
  options: LocatePluginOptions<P>,
): Promise<LocatedPlugin<P>> {
  const tried: { specifier: string; reason: string }[] = [];
  for (const specifier of resolvePluginCandidates(kind, name)) {
    const resolution = resolveModuleFrom(specifier, options.cwd);
    if (!resolution.found) {
      tried.push({ specifier, reason: resolution.reason });
      continue;
    }
    let namespace: unknown;
    try {
      namespace = await import(pathToFileURL(resolution.file).href);
    } catch (error) {
      if (error instanceof PretrainError) throw error;
      tried.push({ specifier, reason: `failed to load ${resolution.file}: ${(error as Error).message}` });
      continue;
    }
    return { plugin: options.validate(namespace, specifier), specifier, file: resolution.file };
  }
  const NotFound = options.notFound ?? PluginNotFoundError;
  throw new NotFound(`cannot load ${kind} ${JSON.stringify(name)} from ${options.cwd}`, tried, {
    hint: installHint(kind, name, tried),
  });
}

function installHint(
  kind: PluginKind,
  name: string,
  tried: readonly { specifier: string; reason: string }[],
) {
  if (tried.some((t) => t.reason.startsWith('failed to load'))) {
    return 'it is installed but does not load: fix what the reason says (a missing build or native library?)';
  }
  if (isPluginPath(name.trim())) return 'check the path: it resolves from the working directory';
  const packages = tried.map((t) => t.specifier).join(' ');
  const published = PUBLISHED_PLUGINS[kind];
  const known = published.length > 0 ? ` (known ${kind}s: ${published.join(', ')})` : '';
  return `install it in this project: npm install ${packages}${known}`;
}
