/** A miner model of the demo: its label and the logits it assigns before the cycle boost. */
export interface DemoPrior {
  /** Short name shown in the demo's tables. */
  readonly label: string;
  /** What the model is, in a few words. */
  readonly description: string;
  readonly prior: Float32Array;
}

/**
 * Log unigram probabilities of `documents` (token ids, EOS already appended), with
 * `smoothing` added to every count so unseen tokens keep a finite loss.
 */
export function unigramLogProbs(
  documents: readonly (readonly number[])[],
  vocabSize: number,
  smoothing = 0.01,
): Float32Array {
  const counts = new Float64Array(vocabSize).fill(smoothing);
  for (const doc of documents) for (const id of doc) counts[id]! += 1;
  const total = counts.reduce((a, b) => a + b, 0);
  return Float32Array.from(counts, (c) => Math.log(c / total));
}

/** The `count` most probable ids, `exclude` left out, ties by lower id (deterministic). */
export function topTokens(logProbs: Float32Array, count: number, exclude: readonly number[]): number[] {
  const ids = Array.from(logProbs.keys()).filter((id) => !exclude.includes(id));
  ids.sort((a, b) => logProbs[b]! - logProbs[a]! || a - b);
  return ids.slice(0, count);
}

/** A seeded PRNG (mulberry32) so the "random" miner is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The demo's three original miners, best first: the corpus' unigram distribution
 * (loss ≈ its entropy), the same at half temperature (flatter, worse), and random
 * logits (about ln(vocab), what an untrained model scores).
 */
export function demoPriors(logProbs: Float32Array, seed = 9): DemoPrior[] {
  const random = mulberry32(seed);
  // Box-Muller: standard normal logits.
  const noise = Float32Array.from(
    logProbs,
    () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()),
  );
  return [
    { label: 'unigram', description: "logits = the corpus' log unigram probabilities", prior: logProbs },
    {
      label: 'flattened',
      description: 'half the unigram logits (a flatter, worse guess)',
      prior: logProbs.map((x) => x / 2),
    },
    { label: 'random', description: 'standard-normal random logits, like an untrained model', prior: noise },
  ];
}

/**
 * Per cycle entry, the boost that lifts it `margin` above the best logit of the prior
 * (EOS and the like excluded): the least that makes it the greedy choice.
 */
export function boostsFor(
  prior: Float32Array,
  cycle: readonly number[],
  exclude: readonly number[],
  margin = 0.5,
): number[] {
  let max = -Infinity;
  prior.forEach((x, id) => {
    if (!exclude.includes(id) && x > max) max = x;
  });
  return cycle.map((id) => max - prior[id]! + margin);
}
