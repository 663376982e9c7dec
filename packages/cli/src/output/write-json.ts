import type { OutputStream } from '../cli-io.js';
import { escapeControl } from './escape-control.js';

/**
 * Print `value` as JSON followed by a newline. Non-finite numbers become `null`, the
 * JSON spelling callers agreed on for "+infinity / missing" (JSON has no Infinity).
 * Every control character is written as an escape, so the output is safe on a terminal.
 */
export function writeJson(out: OutputStream, value: unknown, options: { pretty?: boolean } = {}): void {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    options.pretty === false ? undefined : 2,
  );
  // JSON.stringify leaves DEL, C1 and bidi controls raw; escaped, the value is the same.
  out.write(`${escapeControl(text, 'json')}\n`);
}
