import type { OutputStream } from '../cli-io.js';

/**
 * Print `value` as JSON followed by a newline. Non-finite numbers become `null`, the
 * JSON spelling callers agreed on for "+infinity / missing" (JSON has no Infinity).
 */
export function writeJson(out: OutputStream, value: unknown, options: { pretty?: boolean } = {}): void {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    options.pretty === false ? undefined : 2,
  );
  out.write(`${text}\n`);
}
