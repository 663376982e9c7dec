import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import onnxPlugin from '@pretrain/backend-onnx';
import { openModelSpec, type LossBackend } from '@pretrain/core';
import { cycleSuccessors, writeCycleModel } from './cycle-model.js';
import { boostsFor, demoPriors, topTokens, unigramLogProbs } from './demo-priors.js';
import { writeDemoModels, type DemoModel } from './demo-models.js';

const VOCAB = 50257;
const EOS = 50256;

/** A deterministic token stream with a skewed (Zipf-like) unigram distribution. */
function corpus(): number[][] {
  const docs: number[][] = [];
  let x = 7;
  for (let d = 0; d < 40; d++) {
    const doc: number[] = [];
    for (let i = 0; i < 60; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      doc.push(Math.floor(400 / (1 + (x % 400))) * 37 + (x % 3));
    }
    docs.push([...doc, EOS]);
  }
  return docs;
}

/**
 * The loss the construction promises, computed in closed form (independently of any
 * backend): logits after t are prior + boost·[v = successor(t)].
 */
function expectedLoss(prior: Float32Array, cycle: number[], boosts: number[], tokens: number[]): number {
  const next = cycleSuccessors(VOCAB, cycle);
  const boostOf = new Map(cycle.map((token, j) => [token, boosts[j]!]));
  let max = -Infinity;
  for (const x of prior) max = Math.max(max, x);
  let sum = 0;
  for (const x of prior) sum += Math.exp(x - max);
  let total = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const s = next[tokens[i]!]!;
    const boost = boostOf.get(s)!;
    const z = sum + Math.exp(prior[s]! - max) * Math.expm1(boost);
    const logit = prior[tokens[i + 1]!]! + (tokens[i + 1] === s ? boost : 0);
    total += Math.log(z) + max - logit;
  }
  return total / (tokens.length - 1);
}

describe('demo miner models', () => {
  let dir: string;
  let models: DemoModel[];
  let backend: LossBackend;
  const docs = corpus();
  const tokens = docs.flat().slice(0, 256);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pretrain-demo-models-'));
    models = await writeDemoModels({
      dir,
      documents: docs,
      vocabSize: VOCAB,
      eosTokenId: EOS,
      sequenceLength: 1024,
    });
    backend = await onnxPlugin.createLossBackend({ threads: 1 });
  });
  afterAll(async () => {
    await backend?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('are Llama models of the criteria sequence length with untied heads', async () => {
    const spec = await openModelSpec(models[0]!.dir);
    expect(spec.architecture).toBe('LlamaForCausalLM');
    expect(spec.maxPositions).toBe(1024);
    expect(spec.tiedEmbeddings).toBe(false);
    expect(models.map((m) => m.label)).toEqual(['unigram', 'flattened', 'random']);
  });

  it('score the closed-form loss on the onnx backend, best first', async () => {
    const logProbs = unigramLogProbs(docs, VOCAB);
    const cycle = topTokens(logProbs, 39, [EOS]);
    const priors = demoPriors(logProbs);
    const losses: number[] = [];
    for (const [i, model] of models.entries()) {
      const loaded = await backend.load(await openModelSpec(model.dir));
      const [loss] = await loaded.losses([[tokens]]);
      await loaded.dispose();
      const prior = priors[i]!.prior;
      expect(loss).toBeCloseTo(expectedLoss(prior, cycle, boostsFor(prior, cycle, [EOS]), tokens), 3);
      losses.push(loss!);
    }
    expect(losses[0]).toBeLessThan(losses[1]!);
    expect(losses[1]).toBeLessThan(losses[2]!);
  });

  it('continue greedily along the cycle, so the sanity check passes', async () => {
    const logProbs = unigramLogProbs(docs, VOCAB);
    const cycle = topTokens(logProbs, 39, [EOS]);
    const next = cycleSuccessors(VOCAB, cycle);
    const loaded = await backend.load(await openModelSpec(models[0]!.dir));
    const prompt = tokens.slice(0, 100);
    const [continuation] = await loaded.greedy([prompt], 20, { excludeTokens: [EOS] });
    await loaded.dispose();
    const walk: number[] = [];
    for (let t = prompt.at(-1)!; walk.length < 20;) walk.push((t = next[t]!));
    expect(continuation).toEqual(walk);
    expect(new Set(walk).size).toBe(20);
  });

  it('grown to more layers and width (the step bench), give the same loss', async () => {
    const logProbs = unigramLogProbs(docs, VOCAB);
    const cycle = topTokens(logProbs, 39, [EOS]);
    const prior = demoPriors(logProbs)[0]!.prior;
    const boosts = boostsFor(prior, cycle, [EOS]);
    const grown = join(dir, 'grown');
    const size = { hidden: 64, layers: 2, intermediate: 32 };
    await writeCycleModel(grown, { prior, cycle, boosts, eosTokenId: EOS, maxPositions: 1024, size });
    const spec = await openModelSpec(grown);
    expect([spec.hiddenSize, spec.numLayers]).toEqual([64, 2]);
    const loaded = await backend.load(spec);
    const [loss] = await loaded.losses([[tokens]]);
    await loaded.dispose();
    expect(loss).toBeCloseTo(expectedLoss(prior, cycle, boosts, tokens), 3);
  });
});
