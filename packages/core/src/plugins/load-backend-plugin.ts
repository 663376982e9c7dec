import { BackendNotFoundError, validateBackendPlugin, type LossBackendPlugin } from '@pretrain/backend-sdk';
import { locatePlugin, type LocatedPlugin } from './locate-plugin.js';

/** Options of {@link loadBackendPlugin}. */
export interface LoadBackendPluginOptions {
  /** Directory the name resolves from (the user's project), never the CLI's own location. */
  readonly cwd: string;
}

/** A loaded backend plugin and the module it came from. */
export type LoadedBackendPlugin = LocatedPlugin<LossBackendPlugin>;

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
  return locatePlugin('backend', name, {
    cwd: options.cwd,
    validate: validateBackendPlugin,
    notFound: BackendNotFoundError,
  });
}
