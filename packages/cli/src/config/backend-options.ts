import {
  loadBackendPlugin,
  validateBackendOptions,
  type LossBackendOptions,
  type LossBackendPlugin,
} from '@pretrain/core';
import type { PretrainConfig } from './config-schema.js';
import type { LoadedConfig } from './load-config.js';

/**
 * The raw options the CLI creates a backend with: `device`, `threads` (every backend
 * understands them) and the configured `backendOptions`, which override them. The CLI
 * knows no plugin's options: {@link validateBackendOptions} checks them against the
 * plugin's declared schema.
 */
export function rawBackendOptions(config: PretrainConfig): LossBackendOptions {
  return {
    device: config.device,
    ...(config.threads === undefined ? {} : { threads: config.threads }),
    ...config.backendOptions,
  };
}

/**
 * The configured options, validated by `plugin`'s declared schema (passed through for a
 * plugin that declares none).
 * @throws UsageError quoting the bad option, what it expects and the plugin's option list.
 */
export function backendOptionsFor(config: PretrainConfig, plugin: LossBackendPlugin): LossBackendOptions {
  return validateBackendOptions(plugin, rawBackendOptions(config));
}

/**
 * {@link backendOptionsFor} the configured `backend`, for callers that do not create the
 * backend themselves (the validator creates it in child processes): loads the plugin to
 * read its schema, so a bad option fails once, here.
 * @throws what `loadBackendPlugin` throws for an unloadable backend, and UsageError as above.
 */
export async function configuredBackendOptions(
  loaded: LoadedConfig,
  cwd: string,
): Promise<LossBackendOptions> {
  const plugin = await loadBackendPlugin(loaded.values.backend, { cwd });
  return backendOptionsFor(loaded.values, plugin);
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
