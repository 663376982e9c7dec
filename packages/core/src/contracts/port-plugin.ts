import type { z } from 'zod/v4';
import type { ChainClient } from './chain-client.js';
import type { Dataset } from './dataset.js';
import type { Logger } from './logger.js';
import type { PluginMeta } from '@pretrain/backend-sdk';
import type { ModelStore } from './model-store.js';

/**
 * The version of the port-plugin contract ({@link ModelStorePlugin}, {@link DatasetPlugin},
 * {@link ChainPlugin}); a plugin built for another one is refused when loaded.
 */
export const PORT_PLUGIN_API_VERSION = 1;

/** The kinds of port plugin, as `meta.kind` names them. */
export type PortPluginKind = 'store' | 'dataset' | 'chain';

/** Identity of a port plugin: {@link PluginMeta} plus the port it provides. */
export interface PortPluginMeta extends PluginMeta {
  /** Which port it implements; checked against the flag that named it. */
  readonly kind: PortPluginKind;
}

/** What the host gives a port plugin's factory besides its options. */
export interface PluginContext {
  /** The user's working directory (relative paths in options resolve from it). */
  readonly cwd: string;
  /** Where the plugin logs; secrets never go in here. */
  readonly logger: Logger;
  /** Credentials the user configured; a plugin reads the ones it needs, never logs them. */
  readonly credentials: {
    /** A Hugging Face access token (`PRETRAIN_HF_TOKEN`). */
    readonly hfToken?: string | undefined;
  };
}

/**
 * Options as a port plugin receives them: the `location` written after the plugin's name
 * (`--model-store dir:./models` → `location: './models'`), and the keys its schema declares.
 */
export interface PortPluginOptions {
  /** The text after `<name>:` in the flag's value, when there is one. */
  readonly location?: string | undefined;
  readonly [option: string]: unknown;
}

/** The members every port plugin has; `create` is named per kind below. */
interface PortPluginBase<K extends PortPluginKind> {
  /** Name, version, API version and kind; checked when the plugin is loaded. */
  readonly meta: PortPluginMeta & { readonly kind: K };
  /**
   * Its options as a zod object schema (with `location`); the host validates options
   * against it before creating anything. Absent: options arrive unchecked.
   */
  readonly options?: z.ZodObject;
}

/**
 * What a model-store package (`pretrain-store-<name>`) default-exports; build it with
 * `defineStorePlugin`. The store it creates must pass `describeModelStoreContract` of
 * `@pretrain/conformance`.
 */
export interface ModelStorePlugin extends PortPluginBase<'store'> {
  /** Validate `options` (rejecting with `UsageError`) and create the store. */
  createModelStore(options: PortPluginOptions, context: PluginContext): Promise<ModelStore>;
}

/**
 * What a dataset package (`pretrain-dataset-<name>`) default-exports; build it with
 * `defineDatasetPlugin`. The dataset must pass `describeDatasetContract`.
 */
export interface DatasetPlugin extends PortPluginBase<'dataset'> {
  /** Validate `options` and create the dataset. */
  createDataset(options: PortPluginOptions, context: PluginContext): Promise<Dataset>;
}

/**
 * What a chain package (`pretrain-chain-<name>`) default-exports; build it with
 * `defineChainPlugin`. The client must pass `describeChainClientContract`. `location`
 * is the configured network (`finney`, `ws://…`).
 */
export interface ChainPlugin extends PortPluginBase<'chain'> {
  /** Validate `options`, connect, and return the client (closed by its owner). */
  createChainClient(options: PortPluginOptions, context: PluginContext): Promise<ChainClient>;
}

/** A port plugin of any kind. */
export type PortPlugin = ModelStorePlugin | DatasetPlugin | ChainPlugin;

/** The plugin type of each kind. */
export interface PortPluginOf {
  readonly store: ModelStorePlugin;
  readonly dataset: DatasetPlugin;
  readonly chain: ChainPlugin;
}
