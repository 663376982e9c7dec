import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptModelError } from '../errors/index.js';
import { headerBudget, MAX_COUNTED_LAYERS } from './header-budget.js';
import { HfConfig } from './hf-config.js';
import { readWeightFiles } from './weight-files.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/models/', import.meta.url));
const budgetOf = (raw: Record<string, unknown>) => headerBudget(new HfConfig(raw, 'config.json'));

describe('headerBudget', () => {
  it('allows 64 KiB plus 256 bytes for each of 64 + 32 per layer tensors', () => {
    expect(budgetOf({})).toEqual({ bytes: 65536 + 256 * 64, layers: 0 });
    expect(budgetOf({ n_layer: 2 })).toEqual({ bytes: 65536 + 256 * (64 + 64), layers: 2 });
    expect(budgetOf({ num_hidden_layers: 32 }).bytes).toBe(65536 + 256 * (64 + 1024));
    // Bart declares its layers in three keys; the sum only widens the allowance.
    expect(budgetOf({ num_hidden_layers: 2, encoder_layers: 2, decoder_layers: 2 }).layers).toBe(6);
  });

  it('caps the layers a hostile config can claim and ignores values that are not counts', () => {
    const capped = 65536 + 256 * (64 + 32 * MAX_COUNTED_LAYERS);
    expect(budgetOf({ num_hidden_layers: 1e9 })).toEqual({ bytes: capped, layers: MAX_COUNTED_LAYERS });
    expect(capped).toBeLessThan(2_200_000);
    for (const bad of ['12', -3, 1.5, null, [12], { n: 12 }, Number.MAX_VALUE]) {
      expect(budgetOf({ num_hidden_layers: bad }).layers, JSON.stringify(bad)).toBe(0);
    }
  });
});

describe('readWeightFiles with a header budget', () => {
  const sharded = join(FIXTURES, 'llama-gqa-f32-sharded');

  it('reads the sharded fixture within its budget', async () => {
    const weights = await readWeightFiles(sharded, budgetOf({ num_hidden_layers: 2 }));
    expect(weights.files).toHaveLength(2);
  });

  it('counts the headers of all shards together', async () => {
    // The shards' headers hold 1128 and 992 bytes: the second one overruns an 1800-byte budget.
    const error = await readWeightFiles(sharded, { bytes: 1800, layers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptModelError);
    expect((error as Error).message).toMatch(
      /model-00002-of-00002.safetensors.*header length 992 exceeds 672 bytes, what is left of the 1800-byte header budget/,
    );
  });

  it('refuses an index file larger than the budget before parsing it', async () => {
    await expect(readWeightFiles(sharded, { bytes: 1000, layers: 2 })).rejects.toThrow(
      /model.safetensors.index.json" has 1727 bytes, more than the 1000-byte header budget/,
    );
  });
});
