import {
  bind,
  Container,
  createFromPortPlugin,
  DiskLocalModelStore,
  loadBackendPlugin,
  loadPortPlugin,
  parsePluginChoice,
  TOKENS,
  type Dataset,
  type PluginContext,
  type PortOf,
  type PortPluginKind,
  type Registration,
  type Tokenizer,
} from '@pretrain/core';
import { loadTokenizer } from '@pretrain/huggingface';
import type { CommandContext } from '../commands/cli-command.js';
import { configuredEndpoint } from '../commands/push/chain-session.js';
import { backendOptionsFor } from '../config/index.js';
import { CLI_TOKENS } from './cli-tokens.js';
import { PORT_BUILTINS } from './port-builtins.js';

/** What a command chose for its ports, beyond the config (flags each command declares itself). */
export interface PortChoices {
  /** `--model-store`: `hf`, `hf:<url>`, `dir:<path>`, a plugin name (`tarball:<loc>`) or a path. */
  readonly modelStore?: string | undefined;
  /** `--dataset`: one dataset for every step (`falcon`, `local:<path>`, a plugin); else each criteria's. */
  readonly dataset?: string | undefined;
  /** A tokenizer for the whole run (`distilgpt2`, a tokenizer.json path); else each criteria's. */
  readonly tokenizer?: string | undefined;
  /** The validator's model cache directory (binds `LocalModelStore`). */
  readonly localModelDir?: string | undefined;
  /** Options for the chain plugin beyond its location (`timeoutMs` of the read commands' `--timeout`). */
  readonly chainOptions?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The composition root of every command (validate, eval, push, download, devnet demo,
 * train): one container per run, each port bound to the implementation the resolved
 * config names. Plugins of every kind resolve by one rule (built-in name, else
 * `pretrain-<kind>-<name>` or a path, from the working directory), and nothing is created
 * before a command resolves it. Tests take a {@link Container.child} and rebind what they
 * fake; `dispose()` closes what the run created (chain connection, backend).
 *
 * Bound: `TOKENS.Logger`, `TOKENS.ChainClient` (plugin `config.chain` at the configured
 * network), `TOKENS.ModelStore` (`choices.modelStore`, default `hf`, with
 * `config.modelStoreOptions`), `TOKENS.LocalModelStore` (with `localModelDir`),
 * `TOKENS.Dataset` and `TOKENS.Tokenizer` (when chosen), `TOKENS.LossBackend` (created
 * from `config.backend`), and {@link CLI_TOKENS} for per-name datasets and tokenizers.
 */
export function composeCommand(context: CommandContext, choices: PortChoices = {}): Container {
  const { config, io, logger } = context;
  const pluginContext: PluginContext = { cwd: io.cwd, logger, credentials: { hfToken: config.hfToken } };
  const port = async <K extends PortPluginKind>(
    kind: K,
    value: string,
    options: Readonly<Record<string, unknown>> = {},
  ): Promise<PortOf[K]> => {
    const { name, location } = parsePluginChoice(value);
    const builtins = PORT_BUILTINS[kind];
    const { plugin } = await loadPortPlugin(kind, name, { cwd: io.cwd, builtins });
    return createFromPortPlugin(
      kind,
      plugin,
      { ...options, ...(location === undefined ? {} : { location }) },
      {
        ...pluginContext,
        logger: logger.child({ [kind]: name }),
      },
    );
  };
  const registrations: Registration[] = [
    bind(TOKENS.Logger, { value: logger }),
    bind(TOKENS.ChainClient, {
      factory: () =>
        port('chain', config.chain, { ...choices.chainOptions, location: configuredEndpoint(config) }),
    }),
    bind(TOKENS.ModelStore, {
      factory: () => port('store', choices.modelStore ?? 'hf', config.modelStoreOptions),
    }),
    bind(CLI_TOKENS.BackendPlugin, { factory: () => loadBackendPlugin(config.backend, { cwd: io.cwd }) }),
    bind(TOKENS.LossBackend, {
      factory: async (scope) => {
        const plugin = await scope.resolve(CLI_TOKENS.BackendPlugin);
        return plugin.createLossBackend(backendOptionsFor(config, plugin));
      },
    }),
    bind(CLI_TOKENS.DatasetFor, {
      factory: (scope) => {
        // A chosen dataset (or a test's rebinding of it) serves every competition.
        if (scope.has(TOKENS.Dataset)) return () => scope.resolve(TOKENS.Dataset);
        return memo<Dataset>((name) => port('dataset', name));
      },
    }),
    bind(CLI_TOKENS.TokenizerFor, { factory: () => memo<Tokenizer>((name) => loadTokenizer(name)) }),
  ];
  if (choices.dataset !== undefined) {
    const dataset = choices.dataset;
    registrations.push(bind(TOKENS.Dataset, { factory: () => port('dataset', dataset) }));
  }
  if (choices.tokenizer !== undefined) {
    const name = choices.tokenizer;
    registrations.push(bind(TOKENS.Tokenizer, { factory: () => loadTokenizer(name) }));
  }
  if (choices.localModelDir !== undefined) {
    const dir = choices.localModelDir;
    registrations.push(bind(TOKENS.LocalModelStore, { factory: () => new DiskLocalModelStore(dir) }));
  }
  return Container.create(registrations);
}

/** One instance per name, made on first use (a failed one is retried next time). */
function memo<T>(make: (name: string) => Promise<T>): (name: string) => Promise<T> {
  const made = new Map<string, Promise<T>>();
  return (name) => {
    let instance = made.get(name);
    if (instance === undefined) {
      instance = make(name);
      made.set(name, instance);
      instance.catch(() => made.delete(name));
    }
    return instance;
  };
}
