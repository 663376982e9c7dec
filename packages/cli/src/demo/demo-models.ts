import { join } from 'node:path';
import { writeCycleModel } from './cycle-model.js';
import { boostsFor, demoPriors, topTokens, unigramLogProbs } from './demo-priors.js';

/** Options of {@link writeDemoModels}. */
export interface DemoModelsOptions {
  /** Directory to create the models in, one sub-directory per label. */
  readonly dir: string;
  /** The corpus as the validator tokenizes it: token ids of each document, EOS appended. */
  readonly documents: readonly (readonly number[])[];
  readonly vocabSize: number;
  readonly eosTokenId: number;
  /** Positions the models accept (the criteria's sequence length). */
  readonly sequenceLength: number;
}

/** One miner model written by {@link writeDemoModels}. */
export interface DemoModel {
  readonly label: string;
  readonly description: string;
  readonly dir: string;
}

/** Length of the greedy cycle: longer than the 20 tokens of the sanity check. */
const CYCLE_LENGTH = 39;

/**
 * Write the demo's original miners, best first (see `demoPriors`): deterministic,
 * one-layer Llama models small enough to evaluate in a second per batch on a laptop.
 * Each passes the validator's sanity check by construction (see `writeCycleModel`).
 */
export async function writeDemoModels(options: DemoModelsOptions): Promise<DemoModel[]> {
  const logProbs = unigramLogProbs(options.documents, options.vocabSize);
  const exclude = [options.eosTokenId];
  const cycle = topTokens(logProbs, CYCLE_LENGTH, exclude);
  const models: DemoModel[] = [];
  for (const { label, description, prior } of demoPriors(logProbs)) {
    const dir = join(options.dir, label);
    await writeCycleModel(dir, {
      prior,
      cycle,
      boosts: boostsFor(prior, cycle, exclude),
      eosTokenId: options.eosTokenId,
      maxPositions: options.sequenceLength,
    });
    models.push({ label, description, dir });
  }
  return models;
}
