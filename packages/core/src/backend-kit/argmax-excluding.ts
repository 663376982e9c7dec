/**
 * Index of the largest logit whose token is not in `excluded` (HF `min_new_tokens`
 * semantics for the sanity check: EOS is never chosen). Ties keep the lowest index, as
 * `torch.argmax` does; a NaN logit never wins over a number. Returns −1 when every token
 * is excluded.
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
  return best;
}
