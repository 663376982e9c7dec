/**
 * Every setting the CLI takes from flags, `PRETRAIN_*` variables or `pretrain.config.json`.
 *
 * To add one: add a member here and its entry in {@link CONFIG_SCHEMA} (the compiler
 * checks that both agree); a command that offers it as a flag declares the option
 * without a yargs default, so that the config's precedence stays flags > env > file > default.
 */
export interface PretrainConfig {
  /** Debug logs and stack traces on errors. */
  readonly verbose: boolean;
  /** Log line format on stderr. */
  readonly logFormat: 'pretty' | 'json';
  /** Loss backend name or module path (`--backend`), see `pretrain backends`. */
  readonly backend: string;
  /** Device the backend computes on. */
  readonly device: 'cpu' | 'cuda';
  /** Worker threads of the backend; undefined = the backend's choice. */
  readonly threads: number | undefined;
  /**
   * The backend plugin's own options (`--backend-option key=value`, repeatable;
   * `PRETRAIN_BACKEND_OPTIONS=key=value,key=value`; a `backendOptions` object in the
   * file), merged key by key in that precedence. The CLI knows none of them: the plugin's
   * declared schema validates them (`pretrain backends <name>` lists them).
   */
  readonly backendOptions: Readonly<Record<string, string | number | boolean>>;
  /** Subnet id. */
  readonly netuid: number;
  /**
   * Network name (`finney`, `test`, `archive`, `local`, `devnet`) or a `ws://`/`wss://` URL
   * (`--network`, `PRETRAIN_NETWORK`, then bittensor's `BT_SUBTENSOR_NETWORK`).
   */
  readonly network: string | undefined;
  /** WebSocket endpoint of a subtensor node; undefined = the commands' own default. */
  readonly chainEndpoint: string | undefined;
  /**
   * The chain plugin (`subtensor`, or a `pretrain-chain-<name>` package or module path);
   * it connects to the configured network.
   */
  readonly chain: string;
  /**
   * The model-store plugin's own options (`--model-store-option key=value`, repeatable;
   * `PRETRAIN_MODEL_STORE_OPTIONS`; a `modelStoreOptions` object in the file), checked by
   * the plugin's declared schema.
   */
  readonly modelStoreOptions: Readonly<Record<string, string | number | boolean>>;
  /** Directory of bittensor wallets (btcli layout). */
  readonly walletPath: string | undefined;
  /** Wallet (coldkey) name. */
  readonly walletName: string | undefined;
  /** Hotkey name inside the wallet. */
  readonly walletHotkey: string | undefined;
  /** Hugging Face access token; a secret, never printed. */
  readonly hfToken: string | undefined;
  /** Directory for models, state and caches. */
  readonly dataDir: string;
}

/** The kinds of values a setting can hold; each has its own parsing and error text. */
export type ConfigValueKind =
  'boolean' | 'string' | 'path' | 'url' | 'positive-integer' | 'integer' | 'enum' | 'key-values';

/** How one setting is parsed, documented and defaulted. */
export interface ConfigKeySpec<T> {
  /** How raw values are parsed and checked. */
  readonly kind: ConfigValueKind;
  /** One line for `--help`. */
  readonly describe: string;
  /** The value when no flag, variable or file key gives one. */
  readonly default: T;
  /** Allowed values of an `enum`. */
  readonly values?: readonly string[];
  /** Never printed (tokens, passwords). */
  readonly secret?: boolean;
  /** The flag, when it is not the key in kebab case (`backendOptions` → `--backend-option`). */
  readonly flag?: string;
}

/** Parsing and documentation of every {@link PretrainConfig} member. */
export const CONFIG_SCHEMA: { readonly [K in keyof PretrainConfig]-?: ConfigKeySpec<PretrainConfig[K]> } = {
  verbose: { kind: 'boolean', default: false, describe: 'debug logs and stack traces' },
  logFormat: {
    kind: 'enum',
    values: ['pretty', 'json'],
    default: 'pretty',
    describe: 'log format on stderr',
  },
  backend: { kind: 'string', default: 'onnx', describe: 'loss backend name or module path' },
  device: { kind: 'enum', values: ['cpu', 'cuda'], default: 'cpu', describe: 'device of the loss backend' },
  threads: { kind: 'positive-integer', default: undefined, describe: 'backend worker threads' },
  backendOptions: {
    kind: 'key-values',
    flag: 'backend-option',
    default: {},
    describe: "the backend's own options, key=value (see `pretrain backends <name>`)",
  },
  netuid: { kind: 'integer', default: 9, describe: 'subnet id' },
  network: {
    kind: 'string',
    default: undefined,
    describe: 'finney | test | archive | local | devnet | a ws:// or wss:// endpoint',
  },
  chainEndpoint: {
    kind: 'url',
    default: undefined,
    describe: 'subtensor WebSocket endpoint (ws:// or wss://)',
  },
  chain: {
    kind: 'string',
    default: 'subtensor',
    describe: 'chain plugin: subtensor, a pretrain-chain-<name> package or a module path',
  },
  modelStoreOptions: {
    kind: 'key-values',
    flag: 'model-store-option',
    default: {},
    describe: "the model-store plugin's own options, key=value",
  },
  walletPath: { kind: 'path', default: undefined, describe: 'bittensor wallets directory' },
  walletName: { kind: 'string', default: undefined, describe: 'wallet (coldkey) name' },
  walletHotkey: { kind: 'string', default: undefined, describe: 'hotkey name in the wallet' },
  hfToken: { kind: 'string', default: undefined, secret: true, describe: 'Hugging Face token (secret)' },
  dataDir: { kind: 'path', default: '.pretrain', describe: 'models, state and caches' },
};

/** Names of all settings, in documentation order. */
export const CONFIG_KEYS = Object.keys(CONFIG_SCHEMA) as (keyof PretrainConfig)[];

/** `logFormat` → `PRETRAIN_LOG_FORMAT`. */
export function envName(key: string): string {
  return `PRETRAIN_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `logFormat` → `log-format`; a key's own {@link ConfigKeySpec.flag} when it has one. */
export function flagName(key: string): string {
  const spec = (CONFIG_SCHEMA as Readonly<Record<string, ConfigKeySpec<unknown>>>)[key];
  return spec?.flag ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `log-format` → `logFormat`: the key yargs gives a flag's value under. */
export function camelName(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Settings that were removed, with what replaces them, so an old config says what to do
 * instead of being ignored.
 */
export const RETIRED_SETTINGS: ReadonlyMap<string, string> = new Map([
  [
    'tfjsBackend',
    'the tfjs runtime is an option of the tfjs plugin now: --backend-option runtime=<name>, ' +
      'PRETRAIN_BACKEND_OPTIONS=runtime=<name> or "backendOptions": {"runtime": "<name>"}',
  ],
]);

/** The file read from the working directory when `--config` is not given. */
export const CONFIG_FILE_NAME = 'pretrain.config.json';
