/**
 * Deterministic token batches for validator tests: `count` batches of one row of
 * `length` ids below `vocab`, from a seeded LCG (high bits: the low ones cycle fast).
 */
export function tokenBatches(count: number, length: number, vocab: number, seed = 12345): number[][][] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % vocab;
  };
  return Array.from({ length: count }, () => [Array.from({ length }, next)]);
}
