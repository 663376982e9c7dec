import { pathToFileURL } from 'node:url';
import {
  BackendNotFoundError,
  PretrainError,
  isBackendPath,
  resolveModuleFrom,
  validateBackendPlugin,
  type LossBackendPlugin,
} from '@pretrain/backend-sdk';
import { KNOWN_BACKENDS, resolveBackendCandidates } from './backend-names.js';

/** Options of {@link loadBackendPlugin}. */
export interface LoadBackendPluginOptions {
  /** Directory the name resolves from (the user's project), never the CLI's own location. */
  readonly cwd: string;
}

/** A loaded plugin and the module it came from. */
export interface LoadedBackendPlugin {
  /** The validated plugin object (the module's default export). */
  readonly plugin: LossBackendPlugin;
  /** The specifier that resolved (`@pretrain/backend-onnx`, `./x.js`). */
  readonly specifier: string;
  /** The module file imported. */
  readonly file: string;
}

/**
 * Find, import and validate the backend plugin `name` stands for (see
 * {@link resolveBackendCandidates}), resolving from `cwd`. Never falls back to another
 * backend. Rejects with `BackendNotFoundError` listing each specifier tried and why,
 * `PluginContractError` for a module that is not a plugin or targets another API version,
 * and `UsageError` for a malformed name.
 */
export async function loadBackendPlugin(
  name: string,
  options: LoadBackendPluginOptions,
): Promise<LossBackendPlugin> {
  return (await locateBackendPlugin(name, options)).plugin;
}

/** {@link loadBackendPlugin}, also telling which module was loaded (for `pretrain backends`). */
export async function locateBackendPlugin(
  name: string,
  options: LoadBackendPluginOptions,
): Promise<LoadedBackendPlugin> {
  const tried: { specifier: string; reason: string }[] = [];
  for (const specifier of resolveBackendCandidates(name)) {
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
    return { plugin: validateBackendPlugin(namespace, specifier), specifier, file: resolution.file };
  }
  throw new BackendNotFoundError(`cannot load backend ${JSON.stringify(name)} from ${options.cwd}`, tried, {
    hint: installHint(name, tried),
  });
}

function installHint(name: string, tried: readonly { specifier: string; reason: string }[]): string {
  if (tried.some((t) => t.reason.startsWith('failed to load'))) {
    return 'it is installed but does not load: fix what the reason says (a missing build or native library?)';
  }
  if (isBackendPath(name.trim())) return 'check the path: it resolves from the working directory';
  const packages = tried.map((t) => t.specifier).join(' ');
  return `install it in this project: npm install ${packages} (known backends: ${KNOWN_BACKENDS.join(', ')})`;
}
