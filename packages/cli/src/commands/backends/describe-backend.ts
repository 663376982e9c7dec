import {
  describeBackendOptions,
  isPretrainError,
  locateBackendPlugin,
  type BackendCapabilities,
  type BackendOptionDoc,
  type LossBackendOptions,
  type LossBackendPlugin,
  type PluginMeta,
} from '@pretrain/core';

/** What `pretrain backends` found out about one `--backend` value. */
export type BackendReport =
  | {
      readonly name: string;
      readonly usable: true;
      readonly specifier: string;
      readonly file: string;
      readonly meta: PluginMeta;
      /** The plugin's own probe, when it has one. */
      readonly probe: { readonly available: boolean; readonly detail: string } | undefined;
      readonly capabilities: BackendCapabilities;
      /** The options it declares; undefined when it declares no schema (it checks them itself). */
      readonly options: readonly BackendOptionDoc[] | undefined;
    }
  | {
      readonly name: string;
      readonly usable: false;
      /** Why not, one line each: the load error, what was tried, or the probe's answer. */
      readonly reasons: readonly string[];
      readonly hint: string | undefined;
      /** Present when the plugin loaded but cannot run here. */
      readonly meta?: PluginMeta;
      /** As for a usable one, when the plugin loaded. */
      readonly options?: readonly BackendOptionDoc[] | undefined;
    };

/**
 * Load the plugin `name` stands for, run its probe and create (then dispose) a backend
 * with the options `optionsFor` gives for it (validated there), to read its capabilities. Every failure becomes a report, never a throw,
 * so one broken backend does not hide the others.
 */
export async function describeBackend(
  name: string,
  cwd: string,
  optionsFor: (plugin: LossBackendPlugin) => LossBackendOptions,
): Promise<BackendReport> {
  let located;
  try {
    located = await locateBackendPlugin(name, { cwd });
  } catch (error) {
    return failure(name, error);
  }
  const { plugin, specifier, file } = located;
  const loaded = { meta: plugin.meta, options: plugin.options && describeBackendOptions(plugin.options) };
  let probe: { available: boolean; detail: string } | undefined;
  try {
    probe = plugin.probe ? await plugin.probe() : undefined;
  } catch (error) {
    return { ...failure(name, error, 'probe failed: '), ...loaded };
  }
  if (probe && !probe.available) {
    return { name, usable: false, reasons: [`probe: ${probe.detail}`], hint: undefined, ...loaded };
  }
  try {
    const backend = await plugin.createLossBackend(optionsFor(plugin));
    const capabilities = backend.capabilities;
    await backend.dispose();
    return { name, usable: true, specifier, file, probe, capabilities, ...loaded };
  } catch (error) {
    return { ...failure(name, error, 'cannot create it: '), ...loaded };
  }
}

function failure(name: string, error: unknown, prefix = ''): Extract<BackendReport, { usable: false }> {
  const message = error instanceof Error ? error.message : String(error);
  const tried = (error as { tried?: { specifier: string; reason: string }[] }).tried ?? [];
  return {
    name,
    usable: false,
    reasons: tried.length > 0 ? tried.map((t) => `${t.specifier}: ${t.reason}`) : [`${prefix}${message}`],
    hint: isPretrainError(error) ? error.hint : undefined,
  };
}
