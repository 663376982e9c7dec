import { PORT_PLUGIN_API_VERSION, type PortPluginKind, type PortPluginOf } from '../contracts/index.js';
import { PluginContractError } from '@pretrain/backend-sdk';
import { PORT_FACTORIES } from './define-port-plugin.js';

/**
 * Check that a loaded module's namespace default-exports a port plugin of `kind` built for
 * this core's {@link PORT_PLUGIN_API_VERSION}. `source` names the module in errors.
 */
export function validatePortPlugin<K extends PortPluginKind>(
  kind: K,
  namespace: unknown,
  source: string,
): PortPluginOf[K] {
  const factory = PORT_FACTORIES[kind];
  const fail = (what: string): never => {
    throw new PluginContractError(`${source} is not a pretrain ${kind} plugin: ${what}`, {
      hint: `a ${kind} module default-exports define${kind === 'store' ? 'Store' : kind === 'dataset' ? 'Dataset' : 'Chain'}Plugin({ meta: { name, version, apiVersion: ${PORT_PLUGIN_API_VERSION} }, options, create })`,
    });
  };
  const plugin = (namespace as { default?: unknown } | null)?.default;
  if (typeof plugin !== 'object' || plugin === null) return fail('it has no default-exported object');
  const members = plugin as Record<string, unknown>;
  const meta = members.meta as Record<string, unknown> | null | undefined;
  if (typeof meta !== 'object' || meta === null) return fail('`meta` is missing');
  if (typeof meta.name !== 'string' || meta.name === '') return fail('`meta.name` is not a non-empty string');
  if (typeof meta.version !== 'string' || meta.version === '')
    return fail('`meta.version` is not a non-empty string');
  if (meta.kind !== kind) return fail(`\`meta.kind\` is ${JSON.stringify(meta.kind)}, not "${kind}"`);
  if (typeof members[factory] !== 'function') return fail(`\`${factory}\` is not a function`);
  const options = members.options as { safeParse?: unknown; shape?: unknown } | undefined;
  if (
    options !== undefined &&
    (typeof options !== 'object' ||
      typeof options.safeParse !== 'function' ||
      typeof options.shape !== 'object')
  )
    return fail('`options` is present but not a zod object schema (z.object({ ... }))');
  if (meta.apiVersion !== PORT_PLUGIN_API_VERSION) {
    throw new PluginContractError(
      `${source} (${meta.name} ${meta.version}) implements ${kind} plugin API version ` +
        `${JSON.stringify(meta.apiVersion)}, but this @pretrain/core implements version ${PORT_PLUGIN_API_VERSION}`,
      { hint: 'install a release of the plugin built for this @pretrain/core, or upgrade the CLI' },
    );
  }
  return plugin as PortPluginOf[K];
}
