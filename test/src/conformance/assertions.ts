import { isPretrainError } from '@pretrain/core';

/** A failed conformance check; the message says what was expected and what came. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

/** Fail with `message` unless `condition`. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

/** Each `actual[i]` within `relative` tolerance of `expected[i]` (infinities must match exactly). */
export function checkClose(
  actual: readonly number[],
  expected: readonly number[],
  relative: number,
  what: string,
): void {
  check(actual.length === expected.length, `${what}: ${actual.length} values, expected ${expected.length}`);
  expected.forEach((want, i) => {
    const got = actual[i] as number;
    const ok = Number.isFinite(want) ? Math.abs(got - want) <= relative * Math.abs(want) : got === want;
    check(ok, `${what}[${i}]: ${got}, expected ${want} (relative tolerance ${relative})`);
  });
}

/** Deep equality of JSON-like values. */
export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  check(a === b, `${what}: ${truncate(a)}, expected ${truncate(b)}`);
}

/**
 * `run` must reject with a PretrainError of `code` (checked by code, not class, so
 * plugins built against another copy of @pretrain/core still pass).
 */
export async function checkRejects(run: () => Promise<unknown>, code: string, what: string): Promise<void> {
  let error: unknown;
  try {
    await run();
  } catch (caught) {
    error = caught;
  }
  check(error !== undefined, `${what}: resolved, expected a rejection with ${code}`);
  const got = isPretrainError(error)
    ? error.code
    : `${(error as Error)?.name ?? typeof error}: ${String((error as Error)?.message ?? error)}`;
  check(got === code, `${what}: rejected with ${truncate(got)}, expected ${code}`);
}

function truncate(text: string | undefined): string {
  const s = String(text);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
