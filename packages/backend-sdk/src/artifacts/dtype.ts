import type { Dtype } from './model-spec.js';

/** Bytes per element of each supported weight dtype. */
export const DTYPE_SIZES: Readonly<Record<Dtype, number>> = { F32: 4, F16: 2, BF16: 2 };

/** The weight dtypes core reads; any other safetensors dtype is rejected by name. */
export const SUPPORTED_DTYPES: readonly Dtype[] = ['F32', 'F16', 'BF16'];

/** True when `value` names a supported {@link Dtype}. */
export function isDtype(value: unknown): value is Dtype {
  return typeof value === 'string' && (SUPPORTED_DTYPES as readonly string[]).includes(value);
}
