import { CONFIG_FILE_NAME, CONFIG_KEYS, CONFIG_SCHEMA, envName } from './config-schema.js';

/** The `--help` epilogue: precedence and every setting with its variable and default. */
export function describeConfig(): string {
  const rows = CONFIG_KEYS.map((key) => {
    const spec = CONFIG_SCHEMA[key];
    const fallback = spec.default === undefined ? '' : ` (default ${JSON.stringify(spec.default)})`;
    const values = spec.values ? ` [${spec.values.join('|')}]` : '';
    return `  ${key.padEnd(14)} ${envName(key).padEnd(24)} ${spec.describe}${values}${fallback}`;
  });
  return [
    `Configuration: flags > PRETRAIN_* environment > ${CONFIG_FILE_NAME} (working directory, or --config <file>) > defaults.`,
    'Relative paths in the file resolve from the file; elsewhere from the working directory.',
    `  ${'key'.padEnd(14)} ${'environment'.padEnd(24)} meaning`,
    ...rows,
    '',
    'Exit codes: 0 success, 1 a check failed (conformance, a model rejected), 2 bad input or a known',
    'failure (message + hint), 3 an unexpected internal error (a bug: please report it).',
  ].join('\n');
}
