import type {
  ChainClient,
  Dataset,
  ModelStore,
  PluginContext,
  PortPluginKind,
  PortPluginOf,
} from '../contracts/index.js';
import { locatePlugin, type LocatedPlugin } from './locate-plugin.js';
import { isPluginPath } from './plugin-names.js';
import { PORT_FACTORIES } from './define-port-plugin.js';
import { validatePortPlugin } from './validate-port-plugin.js';

/** The port each kind of plugin creates. */
export interface PortOf {
  readonly store: ModelStore;
  readonly dataset: Dataset;
  readonly chain: ChainClient;
}

/** A flag value split into the plugin it names and the `location` written after it. */
export interface PluginChoice {
  /** A built-in name, a package name (`tarball`, `@acme/foo`) or a module path. */
  readonly name: string;
  /** What followed the first `:` of a name (`dir:./models` → `./models`); never split from a path. */
  readonly location?: string | undefined;
}

/**
 * Split `--model-store hf:https://mirror`, `dir:./models`, `tarball:/srv/m` or `tarball`
 * at the first `:` into name and location. A path (`./plugin.js`, `/abs/pkg`) is taken
 * whole: its location comes from an option (`--model-store-option location=...`).
 */
export function parsePluginChoice(value: string): PluginChoice {
  const text = value.trim();
  if (isPluginPath(text)) return { name: text };
  const colon = text.indexOf(':');
  if (colon < 0) return { name: text };
  const location = text.slice(colon + 1);
  return { name: text.slice(0, colon), ...(location === '' ? {} : { location }) };
}

/** Options of {@link loadPortPlugin}. */
export interface LoadPortPluginOptions<K extends PortPluginKind> {
  /** Directory third-party names resolve from (the user's project). */
  readonly cwd: string;
  /** Plugins the host carries in-process, by name (`hf`, `dir`); tried before any import. */
  readonly builtins?: ReadonlyMap<string, PortPluginOf[K]>;
}

/**
 * The plugin of `kind` that `name` stands for: a built-in of the host, else the package
 * or module the naming rule gives (`tarball` → `pretrain-store-tarball`), imported from
 * `cwd` and checked ({@link validatePortPlugin}). Rejects with `PluginNotFoundError`
 * listing what was tried.
 */
export async function loadPortPlugin<K extends PortPluginKind>(
  kind: K,
  name: string,
  options: LoadPortPluginOptions<K>,
): Promise<LocatedPlugin<PortPluginOf[K]>> {
  const builtin = options.builtins?.get(name);
  if (builtin !== undefined) return { plugin: builtin, specifier: name, file: '(built in)' };
  return locatePlugin(kind, name, {
    cwd: options.cwd,
    validate: (namespace, specifier) => validatePortPlugin(kind, namespace, specifier),
  });
}

/** Create the port `plugin` provides from raw options (the plugin validates them). */
export async function createFromPortPlugin<K extends PortPluginKind>(
  kind: K,
  plugin: PortPluginOf[K],
  options: Readonly<Record<string, unknown>>,
  context: PluginContext,
): Promise<PortOf[K]> {
  const factory = (plugin as unknown as Record<string, unknown>)[PORT_FACTORIES[kind]] as (
    o: Readonly<Record<string, unknown>>,
    c: PluginContext,
  ) => Promise<PortOf[K]>;
  return factory.call(plugin, options, context);
}
