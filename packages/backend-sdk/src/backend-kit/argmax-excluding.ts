import { CorruptModelError } from '../errors/index.js';

/**
 * Index of the largest logit whose token is not in `excluded` (HF `min_new_tokens`
 * semantics for the sanity check: EOS is never chosen). Ties keep the lowest index, as
 * `torch.argmax` does; a NaN logit never wins over a number.
 * @throws CorruptModelError when every logit left is NaN: there is no token to feed back
 *   (checkGreedyRequest already refuses a request that excludes every token).
 */
export function argmaxExcluding(logits: ArrayLike<number>, excluded: ReadonlySet<number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i += 1) {
    if (excluded.has(i)) continue;
    const value = logits[i] as number;
    if (best === -1 || value > bestValue || Number.isNaN(bestValue)) {
      best = i;
      bestValue = value;
    }
  }
  if (best === -1 || Number.isNaN(bestValue)) {
    throw new CorruptModelError('greedy decoding found no token: every logit that is not excluded is NaN', {
      hint: 'the weights hold NaN or overflow: the model cannot be evaluated',
    });
  }
  return best;
}
