import { dirname, resolve } from 'node:path';
import { UsageError } from '@pretrain/core';
import { readJsonFile } from '../input/read-json-file.js';
import {
  CONFIG_FILE_NAME,
  CONFIG_KEYS,
  CONFIG_SCHEMA,
  camelName,
  type ConfigKeySpec,
  envName,
  flagName,
  type PretrainConfig,
  RETIRED_SETTINGS,
} from './config-schema.js';
import { parseConfigValue } from './parse-config-value.js';

/** Where a setting's value came from, for `pretrain config`. */
export type ConfigSource = 'flag' | 'env' | 'file' | 'default';

/** The validated settings plus where each came from. */
export interface LoadedConfig {
  /** The typed settings. */
  readonly values: PretrainConfig;
  /** Where each setting came from. */
  readonly sources: { readonly [K in keyof PretrainConfig]: ConfigSource };
  /** The config file read, if any. */
  readonly file: string | undefined;
}

/** Inputs of {@link loadConfig}: parsed flags, the environment and the working directory. */
export interface LoadConfigInput {
  /** Parsed command-line options (camelCase keys); `undefined` values count as not given. */
  readonly flags: Readonly<Record<string, unknown>>;
  /** Environment variables; only `PRETRAIN_*` ones are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory: the default config file and relative paths resolve from it. */
  readonly cwd: string;
}

/**
 * Read the settings once: flags > `PRETRAIN_*` environment > config file > defaults.
 *
 * The file is `--config <file>` (or `PRETRAIN_CONFIG`), which must exist, else
 * `pretrain.config.json` in the working directory when present. Every value is
 * validated up front; unknown file keys are errors, so typos do not pass silently.
 */
export async function loadConfig(input: LoadConfigInput): Promise<LoadedConfig> {
  const { flags, env, cwd } = input;
  const explicit = configPath(flags.config, '--config') ?? configPath(env.PRETRAIN_CONFIG, 'PRETRAIN_CONFIG');
  const file = await readConfigFile(
    explicit === undefined ? resolve(cwd, CONFIG_FILE_NAME) : resolve(cwd, explicit),
    explicit !== undefined,
  );
  for (const [key, instead] of RETIRED_SETTINGS) {
    if (env[envName(key)] !== undefined)
      throw new UsageError(`${envName(key)} is no longer read`, { hint: `use ${instead}` });
  }
  const values: Record<string, unknown> = {};
  const sources: Record<string, ConfigSource> = {};
  for (const key of CONFIG_KEYS) {
    const spec: ConfigKeySpec<unknown> = CONFIG_SCHEMA[key];
    const flag = flags[spec.flag === undefined ? key : camelName(spec.flag)];
    const fromEnv = env[envName(key)] ?? btEnvFallback(key, env);
    if (spec.kind === 'key-values') {
      // Merged key by key, so a flag overrides one option of the file without dropping the rest.
      const layers: [ConfigSource, unknown, string, string][] = [
        ['file', file?.data[key], `key "${key}" of ${file?.path ?? ''}`, file ? dirname(file.path) : cwd],
        ['env', fromEnv, envName(key), cwd],
        // One `--backend-option` arrives as a string, several as an array: never comma-split.
        ['flag', typeof flag === 'string' ? [flag] : flag, `flag --${flagName(key)}`, cwd],
      ];
      values[key] = {};
      sources[key] = 'default';
      for (const [source, raw, label, baseDir] of layers) {
        if (raw === undefined) continue;
        if (source === 'file' && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
          throw new UsageError(
            `${label}: expected an object of strings, numbers and booleans, got ${JSON.stringify(raw)}`,
            {
              hint: `write it as {"${key}": {"threads": 4}}`,
            },
          );
        }
        values[key] = {
          ...(values[key] as object),
          ...(parseConfigValue(spec, raw, { label, baseDir }) as object),
        };
        sources[key] = source;
      }
    } else if (flag !== undefined) {
      values[key] = parseConfigValue(spec, flag, { label: `flag --${flagName(key)}`, baseDir: cwd });
      sources[key] = 'flag';
    } else if (fromEnv !== undefined) {
      values[key] = parseConfigValue(spec, fromEnv, { label: envName(key), baseDir: cwd });
      sources[key] = 'env';
    } else if (file !== undefined && file.data[key] !== undefined) {
      const label = `key "${key}" of ${file.path}`;
      values[key] = parseConfigValue(spec, file.data[key], { label, baseDir: dirname(file.path) });
      sources[key] = 'file';
    } else {
      // A relative default path (`.pretrain`) means "in the working directory".
      values[key] =
        spec.kind === 'path' && typeof spec.default === 'string' ? resolve(cwd, spec.default) : spec.default;
      sources[key] = 'default';
    }
  }
  settleChainSetting(values, sources);
  return {
    values: values as unknown as PretrainConfig,
    sources: sources as LoadedConfig['sources'],
    file: file?.path,
  };
}

/** The config file `source` names, undefined when not given; an empty value is an error. */
function configPath(value: unknown, source: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${source} needs a file path, got ${JSON.stringify(value)}`, {
      hint: `give a JSON config file, e.g. ${source === '--config' ? '--config ./pretrain.config.json' : 'PRETRAIN_CONFIG=./pretrain.config.json'}`,
    });
  }
  return value;
}

async function readConfigFile(
  path: string,
  required: boolean,
): Promise<{ path: string; data: Record<string, unknown> } | undefined> {
  const example = `write a JSON object such as {"backend": "onnx", "netuid": 9}`;
  const data = await readJsonFile(path, {
    what: 'config file',
    readHint: 'pass an existing JSON file to --config, or drop the flag',
    parseHint: example,
    optional: !required,
  });
  if (data === undefined) return undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`config file ${path} must hold a JSON object, got ${JSON.stringify(data)}`, {
      hint: example,
    });
  }
  const known = new Set<string>(CONFIG_KEYS);
  const unknown = Object.keys(data).filter((key) => !known.has(key));
  const retired = unknown.find((key) => RETIRED_SETTINGS.has(key));
  if (retired !== undefined) {
    throw new UsageError(`config file ${path}: key "${retired}" is no longer read`, {
      hint: `use ${RETIRED_SETTINGS.get(retired) ?? ''}`,
    });
  }
  if (unknown.length > 0) {
    throw new UsageError(
      `config file ${path} has unknown key(s): ${unknown.map((k) => `"${k}"`).join(', ')}`,
      {
        hint: `known keys: ${CONFIG_KEYS.join(', ')}`,
      },
    );
  }
  return { path, data: data as Record<string, unknown> };
}

/** The bittensor SDK's variables, read when the `PRETRAIN_*` one is unset (btcli habits). */
const BT_ENV: Readonly<Partial<Record<string, string>>> = {
  walletName: 'BT_WALLET_NAME',
  walletHotkey: 'BT_WALLET_HOTKEY',
  walletPath: 'BT_WALLET_PATH',
  network: 'BT_SUBTENSOR_NETWORK',
  chainEndpoint: 'BT_SUBTENSOR_CHAIN_ENDPOINT',
};

const SOURCE_RANK: Readonly<Record<ConfigSource, number>> = { flag: 3, env: 2, file: 1, default: 0 };

/**
 * `network` and `chainEndpoint` both name the chain: the one from the stronger source wins
 * (a `--chain-endpoint` flag over `PRETRAIN_NETWORK`), `network` on a tie, as `--network`
 * always did; the loser is dropped so that every command connects to the same place.
 */
function settleChainSetting(values: Record<string, unknown>, sources: Record<string, ConfigSource>): void {
  if (values.network === undefined || values.chainEndpoint === undefined) return;
  const loser =
    SOURCE_RANK[sources.chainEndpoint as ConfigSource] > SOURCE_RANK[sources.network as ConfigSource]
      ? 'network'
      : 'chainEndpoint';
  values[loser] = undefined;
  sources[loser] = 'default';
}

function btEnvFallback(key: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const name = Object.hasOwn(BT_ENV, key) ? BT_ENV[key] : undefined;
  return name === undefined ? undefined : env[name];
}
