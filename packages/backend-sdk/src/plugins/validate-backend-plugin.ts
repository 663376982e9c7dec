import { LOSS_BACKEND_API_VERSION, type LossBackendPlugin } from '../contracts/loss-backend.js';
import { PluginContractError } from '../errors/index.js';

const SHAPE_HINT =
  'a backend module default-exports { meta: { name, version, apiVersion }, createLossBackend(options) }';

/**
 * Check that a loaded module's namespace holds a {@link LossBackendPlugin} as its default
 * export, built for this core's {@link LOSS_BACKEND_API_VERSION}. `source` names the
 * module in errors.
 */
export function validateBackendPlugin(namespace: unknown, source: string): LossBackendPlugin {
  const plugin = (namespace as { default?: unknown } | null)?.default;
  const fail = (what: string): never => {
    throw new PluginContractError(`${source} is not a pretrain backend plugin: ${what}`, {
      hint: SHAPE_HINT,
    });
  };
  if (typeof plugin !== 'object' || plugin === null) return fail('it has no default-exported object');
  const { meta, createLossBackend, createTrainer, probe, options } = plugin as Record<string, unknown>;
  if (typeof meta !== 'object' || meta === null) return fail('`meta` is missing');
  const { name, version, apiVersion } = meta as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') return fail('`meta.name` is not a non-empty string');
  if (typeof version !== 'string' || version === '') return fail('`meta.version` is not a non-empty string');
  if (typeof apiVersion !== 'number' || !Number.isInteger(apiVersion)) {
    return fail(`\`meta.apiVersion\` is ${JSON.stringify(apiVersion)}, not an integer`);
  }
  if (typeof createLossBackend !== 'function') return fail('`createLossBackend` is not a function');
  if (createTrainer !== undefined && typeof createTrainer !== 'function')
    return fail('`createTrainer` is present but not a function');
  if (probe !== undefined && typeof probe !== 'function')
    return fail('`probe` is present but not a function');
  if (options !== undefined && !isObjectSchema(options))
    return fail('`options` is present but not a zod object schema (z.object({ ... }))');
  if (apiVersion !== LOSS_BACKEND_API_VERSION) {
    const newer = apiVersion > LOSS_BACKEND_API_VERSION;
    throw new PluginContractError(
      `${source} (${name} ${version}) implements backend API version ${apiVersion}, ` +
        `but this @pretrain/core implements version ${LOSS_BACKEND_API_VERSION}`,
      {
        hint: newer
          ? 'upgrade @pretrain/core and the CLI, or install an older release of the backend'
          : `install a release of the backend built for API version ${LOSS_BACKEND_API_VERSION}`,
      },
    );
  }
  return plugin as LossBackendPlugin;
}

function isObjectSchema(value: unknown): boolean {
  const schema = value as { safeParse?: unknown; shape?: unknown } | null;
  return (
    typeof schema === 'object' &&
    schema !== null &&
    typeof schema.safeParse === 'function' &&
    typeof schema.shape === 'object' &&
    schema.shape !== null
  );
}
