import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openModelSpec, type LossBackendPlugin } from '@pretrain/backend-sdk';
import { afterAll, describe, expect, it } from 'vitest';

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);

interface OracleLine {
  readonly model: string;
  readonly architecture: string;
  readonly losses?: readonly number[];
  readonly greedy?: readonly (readonly (readonly number[])[])[];
}

/**
 * The PyTorch oracle's losses and 4 greedy tokens of the tiny random models of every
 * architecture added after the first four (`test/fixtures/tiny-random/`, made by
 * tools/reference_loss.py on tiny-2x16.json): other seeds, shapes and config switches than
 * the conformance fixtures (Bart with scale_embedding, tied heads, Falcon-RW in fp32).
 */
export function describeTinyRandomOracle(
  plugin: LossBackendPlugin,
  options: Record<string, unknown>,
  tolerance: number,
): void {
  const lines = readFileSync(new URL('tiny-random/tiny-random.jsonl', FIXTURES), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as OracleLine)
    .filter((line) => line.losses !== undefined && line.greedy !== undefined);
  const batches = JSON.parse(
    readFileSync(new URL('tiny-random/tiny-2x16.json', FIXTURES), 'utf8'),
  ) as number[][][];
  const backend = plugin.createLossBackend(options);
  afterAll(async () => (await backend).dispose());

  describe.each(lines)('$model ($architecture) against the oracle', (line) => {
    it('matches its losses and greedy tokens', async () => {
      const spec = await openModelSpec(fileURLToPath(new URL(`models/${line.model}`, FIXTURES)));
      const model = await (await backend).load(spec);
      try {
        const losses = await model.losses(batches);
        losses.forEach((loss, b) => {
          const expected = line.losses?.[b] ?? Number.NaN;
          expect(Math.abs(loss - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
        });
        for (const [b, batch] of batches.entries()) {
          const tokens = await model.greedy(batch, 4, { excludeTokens: spec.eosTokenIds });
          expect(tokens).toEqual(line.greedy?.[b]);
        }
      } finally {
        await model.dispose();
      }
    });
  });
}
