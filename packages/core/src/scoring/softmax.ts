import { UsageError } from '@pretrain/backend-sdk';

/**
 * `softmax(values / temperature)`, computed after subtracting the maximum so that small
 * temperatures (0.01 turns a win rate of 1 into e¹⁰⁰) never overflow. Empty in, empty out.
 *
 * @throws UsageError when the temperature is not a positive finite number.
 */
export function softmax(values: readonly number[], temperature: number): number[] {
  if (!(temperature > 0 && Number.isFinite(temperature))) {
    throw new UsageError(`softmax temperature ${temperature} must be a positive number`);
  }
  if (values.length === 0) return [];
  // A loop, not Math.max(...values): spreading 10⁵ values overflows the stack.
  let max = -Infinity;
  for (const v of values) max = Math.max(max, v);
  const exps = values.map((v) => Math.exp((v - max) / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
