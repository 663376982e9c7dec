import { z } from 'zod/v4';
import type { LossBackendOptions, LossBackendPlugin } from '../contracts/loss-backend.js';
import { UsageError } from '../errors/index.js';

/**
 * The project's one validation library (zod 4), re-exported so plugins declare their
 * options with the very copy the host validates and documents them with. Imported as
 * `zod/v4`, the subpath zod 4 keeps for good, so the API is the same where an older
 * zod 3.25 (which ships v4 there) was hoisted by another package.
 */
export { z };

/**
 * Options as the host has them before a plugin's schema checks them: strings from flags
 * and variables, JSON values from a config file.
 */
export type RawBackendOptions = Readonly<Record<string, unknown>>;

/** A plugin's options schema: a zod object, one member per option. */
export type BackendOptionsSchema = z.ZodObject;

/**
 * The options every backend understands (`--device`, `--threads`), merged into every
 * {@link defineBackendPlugin} schema; a plugin may redeclare one to narrow or default it.
 */
export const COMMON_BACKEND_OPTIONS = {
  device: z.enum(['cpu', 'cuda']).optional().describe('device to compute on (--device)'),
  threads: z
    .int()
    .min(1)
    .max(1024)
    .optional()
    .describe('worker threads (--threads); unset: the backend picks'),
};

/**
 * The full schema of a plugin declaring `own`: {@link COMMON_BACKEND_OPTIONS} overridden
 * and extended by `own`'s members, unknown keys refused.
 */
export function backendOptionsSchema<Shape extends z.ZodRawShape>(own: z.ZodObject<Shape>) {
  return z.strictObject(COMMON_BACKEND_OPTIONS).extend(own.shape);
}

/** One declared option, as `pretrain backends <name>` prints it. */
export interface BackendOptionDoc {
  /** The key users write: `--backend-option <name>=value`, `backendOptions.<name>`. */
  readonly name: string;
  /** What it accepts, e.g. `cpu|cuda`, `integer 1..1024`, `string`. */
  readonly type: string;
  /** The default, when the schema declares one. */
  readonly default?: unknown;
  /** The schema's `.describe()` text, or empty. */
  readonly description: string;
}

interface JsonProperty {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonProperty[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly description?: string;
}

// A schema built by another copy of zod may not convert: it is then validated, not documented.
function properties(schema: BackendOptionsSchema): Map<string, JsonProperty> {
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, JsonProperty>;
    };
    return new Map(Object.entries(json.properties ?? {}));
  } catch {
    return new Map(Object.keys(schema.shape).map((key) => [key, {}]));
  }
}

function typeText(p: JsonProperty): string {
  if (p.enum) return p.enum.map(String).join('|');
  if (p.const !== undefined) return JSON.stringify(p.const);
  if (p.anyOf) return p.anyOf.map(typeText).join(' or ');
  const limit = (n: number | undefined) =>
    n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n;
  const [min, max] = [limit(p.minimum), limit(p.maximum)];
  const range = min === undefined && max === undefined ? '' : ` ${min ?? ''}..${max ?? ''}`;
  return `${p.type ?? 'any'}${range}`;
}

/** The options `schema` declares, in declaration order, for help output. */
export function describeBackendOptions(schema: BackendOptionsSchema): BackendOptionDoc[] {
  return [...properties(schema)].map(([name, p]) => ({
    name,
    type: typeText(p),
    ...(p.default === undefined ? {} : { default: p.default }),
    description: p.description ?? '',
  }));
}

/** `device (cpu|cuda), threads (integer 1..1024, default 4)`: the option list errors quote. */
export function listBackendOptions(schema: BackendOptionsSchema): string {
  return describeBackendOptions(schema)
    .map(
      (o) =>
        `${o.name} (${o.type}${o.default === undefined ? '' : `, default ${JSON.stringify(o.default)}`})`,
    )
    .join(', ');
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

// Flags and environment variables give strings: turn them into the number or boolean declared.
function coerce(value: unknown, p: JsonProperty | undefined): unknown {
  if (typeof value !== 'string' || p === undefined) return value;
  const text = value.trim();
  if ((p.type === 'number' || p.type === 'integer') && /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text))
    return Number(text);
  if (p.type === 'boolean' && TRUE.has(text.toLowerCase())) return true;
  if (p.type === 'boolean' && FALSE.has(text.toLowerCase())) return false;
  return value;
}

/**
 * Validate raw options (strings from `--backend-option`, typed JSON from a config file)
 * against `schema`: strings become the numbers and booleans declared, defaults are filled.
 * @throws UsageError quoting the key, what it expected and the plugin's option list.
 */
export function parseBackendOptions(
  schema: BackendOptionsSchema,
  raw: RawBackendOptions,
  backend: string,
): LossBackendOptions {
  return parsePluginOptions(schema, raw, 'backend', backend) as LossBackendOptions;
}

/**
 * {@link parseBackendOptions} for a plugin of any kind (`store`, `dataset`, `chain`):
 * one set of coercion rules and one error wording for every plugin's options.
 * @throws UsageError quoting the key, what it expected and the plugin's option list.
 */
export function parsePluginOptions(
  schema: BackendOptionsSchema,
  raw: RawBackendOptions,
  kind: string,
  name: string,
): Record<string, unknown> {
  const props = properties(schema);
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined) input[key] = coerce(value, props.get(key));
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data as Record<string, unknown>;
  const more = kind === 'backend' ? `; \`pretrain backends ${name}\` describes them` : '';
  const hint = `${kind} ${name} takes: ${listBackendOptions(schema) || 'no options'}${more}`;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    throw new UsageError(`${kind} ${name} has no option ${keys}`, { hint });
  }
  const key = issue?.path[0];
  if (typeof key === 'string' && props.has(key)) {
    const got = JSON.stringify(raw[key]) ?? String(raw[key]);
    throw new UsageError(
      `${kind} option "${key}" of ${kind} ${name}: expected ${typeText(props.get(key) ?? {})}, got ${got}`,
      { hint },
    );
  }
  throw new UsageError(`${kind} ${name} options: ${issue?.message ?? 'invalid'}`, { hint });
}

/**
 * The options to create `plugin`'s backend with: validated by its declared schema when it
 * has one, else passed through for the plugin to check (plain-object plugins of API 1).
 * @throws UsageError as {@link parseBackendOptions} does.
 */
export function validateBackendOptions(
  plugin: LossBackendPlugin,
  raw: RawBackendOptions,
): LossBackendOptions {
  return plugin.options === undefined
    ? (raw as LossBackendOptions)
    : parseBackendOptions(plugin.options, raw, plugin.meta.name);
}
