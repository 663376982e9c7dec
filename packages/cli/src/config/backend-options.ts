import {
  loadBackendPlugin,
  UsageError,
  type LossBackendOptions,
  type LossBackendPlugin,
  type PluginMeta,
} from '@pretrain/core';
import { envName, flagName, TFJS_RUNTIME_NAMES, type PretrainConfig } from './config-schema.js';
import type { LoadedConfig } from './load-config.js';

/** The `meta.name` of the plugin that `tfjsBackend` is meant for. */
export const TFJS_PLUGIN_NAME = 'tfjs';

/** The `--tfjs-backend` flag, declared the same way by every command that creates a backend. */
export const TFJS_BACKEND_OPTION = {
  choices: TFJS_RUNTIME_NAMES,
  describe: 'force the runtime of the tfjs backend (default: the best one available)',
} as const;

/** How strictly {@link backendOptionsFor} treats a `tfjsBackend` that does not apply. */
export interface BackendOptionsMode {
  /**
   * true (default): a `tfjsBackend` given for another plugin is a UsageError. false: it is
   * left out, for `pretrain backends`, which creates several backends from one setting.
   */
  readonly strict?: boolean;
}

/**
 * The options the CLI creates a backend with: `device` and `threads` for every plugin, and
 * `tfjsBackend` only for the tfjs plugin, since the other plugins reject options they do not
 * know. The plugin is recognised by its `meta.name`, so a module path to it counts as well.
 * A forced runtime without an explicit `device` brings its own device (`tfjs-node-gpu` runs
 * on cuda, the others on cpu), so `--tfjs-backend tfjs-node-gpu` alone is enough.
 * @throws UsageError when `tfjsBackend` is set for another plugin (in strict mode), naming where it was set.
 */
export function backendOptionsFor(
  loaded: LoadedConfig,
  meta: Pick<PluginMeta, 'name'>,
  mode: BackendOptionsMode = {},
): LossBackendOptions {
  const { tfjsBackend, backend } = loaded.values;
  const common = commonBackendOptions(loaded.values);
  if (tfjsBackend === undefined) return common;
  if (meta.name !== TFJS_PLUGIN_NAME) {
    if (mode.strict === false) return common;
    const setting = settingLabel(loaded);
    const plugin = meta.name === backend ? '' : ` (plugin "${meta.name}")`;
    throw new UsageError(
      `${setting} "${tfjsBackend}" applies only to the tfjs backend, not to backend "${backend}"${plugin}`,
      { hint: `use --backend tfjs with it, or remove ${setting}` },
    );
  }
  const device =
    loaded.sources.device === 'default' ? (tfjsBackend === 'tfjs-node-gpu' ? 'cuda' : 'cpu') : common.device;
  return { ...common, device, tfjsBackend };
}

/**
 * {@link backendOptionsFor} the configured `backend`, for callers that do not load the plugin
 * themselves (the validator creates backends in child processes). The plugin is loaded only
 * when `tfjsBackend` is set: that is the only case where its identity matters.
 * @throws what `loadBackendPlugin` throws for an unloadable backend, and UsageError as above.
 */
export async function configuredBackendOptions(
  loaded: LoadedConfig,
  cwd: string,
): Promise<LossBackendOptions> {
  if (loaded.values.tfjsBackend === undefined) return commonBackendOptions(loaded.values);
  const plugin = await loadBackendPlugin(loaded.values.backend, { cwd });
  return backendOptionsFor(loaded, plugin.meta);
}

/**
 * Create the backend once and dispose it, so one that cannot run here (no GPU, addon not
 * built, a bad option) fails now, once, with its hint, rather than in every conformance case
 * or every validator child process.
 * @throws whatever `createLossBackend` throws (a PretrainError with a hint for built-in backends).
 */
export async function preflightBackend(
  plugin: LossBackendPlugin,
  options: LossBackendOptions,
): Promise<void> {
  await (await plugin.createLossBackend(options)).dispose();
}

function commonBackendOptions(config: PretrainConfig): { device: 'cpu' | 'cuda'; threads?: number } {
  return { device: config.device, ...(config.threads === undefined ? {} : { threads: config.threads }) };
}

/** Where `tfjsBackend` was set, in the words the user typed it. */
function settingLabel(loaded: LoadedConfig): string {
  switch (loaded.sources.tfjsBackend) {
    case 'flag':
      return `--${flagName('tfjsBackend')}`;
    case 'env':
      return envName('tfjsBackend');
    default:
      return `key "tfjsBackend" of ${loaded.file ?? 'the config file'}`;
  }
}
