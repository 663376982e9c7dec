import type { z } from 'zod/v4';
import type {
  ChainClient,
  ChainPlugin,
  Dataset,
  DatasetPlugin,
  ModelStore,
  ModelStorePlugin,
  PluginContext,
  PluginMeta,
  PortPluginKind,
  PortPluginOf,
  PortPluginOptions,
} from '../contracts/index.js';
import { parsePluginOptions, z as zod } from '@pretrain/backend-sdk';

/** The option every port plugin understands: the text after `<name>:` in its flag. */
export const COMMON_PORT_OPTIONS = {
  location: zod
    .string()
    .min(1)
    .optional()
    .describe('what follows the name in the flag (`dir:<path>`, `hf:<url>`)'),
};

/** The schema of a defined port plugin: `location`, overridden and extended by its own. */
export type PortOptionsSchema<Shape extends z.ZodRawShape> = z.ZodObject<
  z.util.Extend<typeof COMMON_PORT_OPTIONS, Shape>,
  z.core.$strict
>;

/** The factory member each kind of port plugin has. */
export const PORT_FACTORIES = Object.freeze({
  store: 'createModelStore',
  dataset: 'createDataset',
  chain: 'createChainClient',
} as const);

/** What `define*Plugin` takes: meta (without `kind`), an options schema and the factory. */
export interface PortPluginDefinition<Shape extends z.ZodRawShape, T> {
  /** Name, version and {@link PORT_PLUGIN_API_VERSION}. */
  readonly meta: PluginMeta;
  /** Its own options, `z.object({ ... })` with `.describe()` on each member. */
  readonly options?: z.ZodObject<Shape>;
  /** Create the port from options already validated, typed and defaulted. */
  create(options: z.output<PortOptionsSchema<Shape>>, context: PluginContext): Promise<T>;
}

function definePortPlugin<K extends PortPluginKind, Shape extends z.ZodRawShape, T>(
  kind: K,
  definition: PortPluginDefinition<Shape, T>,
): PortPluginOf[K] {
  const own = definition.options ?? (zod.object({}) as z.ZodObject<Shape>);
  const schema = zod.strictObject(COMMON_PORT_OPTIONS).extend(own.shape);
  const factory = async (options: PortPluginOptions, context: PluginContext) => {
    const parsed = parsePluginOptions(schema, options, kind, definition.meta.name);
    return definition.create(parsed as z.output<PortOptionsSchema<Shape>>, context);
  };
  return {
    meta: { ...definition.meta, kind },
    options: schema,
    [PORT_FACTORIES[kind]]: factory,
  } as unknown as PortPluginOf[K];
}

/**
 * Build a model-store plugin (`pretrain-store-<name>`'s default export) whose options
 * are a zod schema the host validates: `--model-store <name>:<location>` gives
 * `location`, `--model-store-option key=value` the rest.
 */
export function defineStorePlugin<Shape extends z.ZodRawShape = Record<never, never>>(
  definition: PortPluginDefinition<Shape, ModelStore>,
): ModelStorePlugin {
  return definePortPlugin('store', definition);
}

/** Build a dataset plugin (`pretrain-dataset-<name>`); `--dataset <name>:<location>`. */
export function defineDatasetPlugin<Shape extends z.ZodRawShape = Record<never, never>>(
  definition: PortPluginDefinition<Shape, Dataset>,
): DatasetPlugin {
  return definePortPlugin('dataset', definition);
}

/** Build a chain plugin (`pretrain-chain-<name>`); `location` is the configured network. */
export function defineChainPlugin<Shape extends z.ZodRawShape = Record<never, never>>(
  definition: PortPluginDefinition<Shape, ChainClient>,
): ChainPlugin {
  return definePortPlugin('chain', definition);
}
