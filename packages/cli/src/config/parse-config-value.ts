import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '@pretrain/core';
import type { ConfigKeySpec } from './config-schema.js';

/** Where a raw value came from; relative paths resolve against `baseDir`. */
export interface ValueOrigin {
  /** e.g. `flag --threads`, `PRETRAIN_THREADS`, `key "threads" of /x/pretrain.config.json`. */
  readonly label: string;
  /** Directory that a relative path resolves from. */
  readonly baseDir: string;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

/**
 * Turn a raw value (a flag's, an environment string or a JSON value) into the typed
 * value `spec` describes, or throw a `UsageError` that quotes it and names its origin.
 */
export function parseConfigValue<T>(spec: ConfigKeySpec<T>, raw: unknown, origin: ValueOrigin): T {
  const fail = (expected: string): never => {
    throw new UsageError(`${origin.label}: expected ${expected}, got ${quote(raw)}`, {
      hint: `fix or remove ${origin.label}; \`pretrain --help\` lists the settings`,
    });
  };
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (spec.kind) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw as T;
      if (text !== undefined && TRUE.has(text.toLowerCase())) return true as T;
      if (text !== undefined && FALSE.has(text.toLowerCase())) return false as T;
      return fail('true or false');
    }
    case 'integer':
    case 'positive-integer': {
      const n =
        typeof raw === 'number' ? raw : text !== undefined && /^-?\d+$/.test(text) ? Number(text) : NaN;
      const positive = spec.kind === 'positive-integer';
      if (!Number.isSafeInteger(n) || (positive && n < 1))
        return fail(positive ? 'a positive integer' : 'an integer');
      return n as T;
    }
    case 'enum': {
      if (text === undefined || !spec.values?.includes(text))
        return fail(`one of ${spec.values?.join(', ')}`);
      return text as T;
    }
    case 'url': {
      if (text === undefined || !/^wss?:\/\/[^\s]+$/.test(text)) return fail('a ws:// or wss:// URL');
      return text as T;
    }
    case 'path': {
      if (!text) return fail('a path');
      return (isAbsolute(text) ? text : resolve(origin.baseDir, text)) as T;
    }
    case 'string': {
      if (!text) return fail('a non-empty string');
      return text as T;
    }
    case 'key-values':
      return parseKeyValues(raw, fail) as T;
  }
}

// Option keys are identifiers; the prototype's own names would be traps for a plain object.
const OPTION_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * `key=value` strings (a repeated flag, or one comma-separated variable) or a JSON object
 * of strings, numbers and booleans → one options object. Strings stay strings: the
 * plugin's schema turns them into what it declares.
 */
function parseKeyValues(raw: unknown, fail: (expected: string) => never): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  if (typeof raw === 'string' || Array.isArray(raw)) {
    const items = typeof raw === 'string' ? raw.split(',').filter((item) => item.trim() !== '') : raw;
    for (const item of items) {
      const match = typeof item === 'string' ? /^\s*([^=\s]+)\s*=(.*)$/s.exec(item) : null;
      if (match === null) return fail('key=value');
      entries.push([match[1] as string, (match[2] as string).trim()]);
    }
  } else if (typeof raw === 'object' && raw !== null) {
    for (const [key, value] of Object.entries(raw)) {
      if (!['string', 'number', 'boolean'].includes(typeof value))
        return fail(`an object of strings, numbers and booleans (key "${key}")`);
      entries.push([key, value]);
    }
  } else {
    return fail('key=value options');
  }
  const bad = entries.find(([key]) => !OPTION_KEY.test(key) || FORBIDDEN_KEYS.has(key));
  if (bad) return fail(`option names made of letters, digits, _ . - (got key ${JSON.stringify(bad[0])})`);
  return Object.fromEntries(entries);
}

function quote(raw: unknown): string {
  return typeof raw === 'number' ? String(raw) : (JSON.stringify(raw) ?? String(raw));
}
