import { CorruptModelError } from '../errors/index.js';

/**
 * Typed access to a Hugging Face `config.json`: each getter checks the value's type and
 * range and names the key and file when it is wrong.
 */
export class HfConfig {
  constructor(
    /** The parsed JSON object. */
    readonly raw: Readonly<Record<string, unknown>>,
    /** Path of the file, for messages. */
    readonly path: string,
  ) {}

  /** True when `key` is present and not null. */
  has(key: string): boolean {
    return this.own(key) !== undefined && this.own(key) !== null;
  }

  /** A positive integer; `fallback` when absent or null. */
  int(key: string, fallback?: number): number {
    const value = this.value(key, fallback);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
      throw this.bad(key, 'a positive integer');
    return value;
  }

  /** A finite number; `fallback` when absent or null. */
  number(key: string, fallback?: number): number {
    const value = this.value(key, fallback);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.bad(key, 'a number');
    return value;
  }

  /** A boolean; `fallback` when absent or null. */
  bool(key: string, fallback?: boolean): boolean {
    const value = this.value(key, fallback);
    if (typeof value !== 'boolean') throw this.bad(key, 'true or false');
    return value;
  }

  /** A string; `fallback` when absent or null. */
  string(key: string, fallback?: string): string {
    const value = this.value(key, fallback);
    if (typeof value !== 'string') throw this.bad(key, 'a string');
    return value;
  }

  /** Token ids given as one integer, a list of integers, or absent (empty). */
  tokenIds(key: string): number[] {
    const value = this.own(key);
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) {
      throw this.bad(key, 'a token id or a list of token ids');
    }
    return list as number[];
  }

  /** The file's own value of `key`: never one inherited from `Object.prototype`. */
  private own(key: string): unknown {
    return Object.hasOwn(this.raw, key) ? this.raw[key] : undefined;
  }

  private value(key: string, fallback: unknown): unknown {
    const value = this.own(key);
    if (value === undefined || value === null) {
      if (fallback === undefined) {
        throw new CorruptModelError(`"${this.path}" has no "${key}"`, {
          hint: 'the config.json is incomplete',
        });
      }
      return fallback;
    }
    return value;
  }

  private bad(key: string, expected: string): CorruptModelError {
    return new CorruptModelError(
      `"${this.path}": "${key}" is ${JSON.stringify(this.own(key))}; expected ${expected}`,
    );
  }
}
