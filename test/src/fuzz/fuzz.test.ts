import { describe, expect, it } from 'vitest';
import { runCampaign, TARGET_NAMES } from '../../../scripts/fuzz/campaign.mjs';

// A short run of the campaign `npm run fuzz` runs at length (docs/FUZZING.md): the same
// targets and entry points, on the built packages, with another seed than the long runs.
describe('fuzz campaign (short)', () => {
  it('survives 2500 mutated inputs without a crash, hang or memory failure', async () => {
    const summary = await runCampaign({ seed: 'npm-test', cases: 2500, hangSeconds: 30, maxSeconds: 240 });
    expect(summary.failures).toEqual([]);
    expect(summary.cases).toBe(2500);
    expect(Object.keys(summary.outcomes).sort()).toEqual([...TARGET_NAMES].sort());
    // Every target both accepts and refuses some inputs: the mutations reach past the parsers.
    for (const [target, outcomes] of Object.entries(summary.outcomes)) {
      expect(outcomes['accepted'] ?? 0, target).toBeGreaterThan(0);
      expect(
        Object.keys(outcomes).some((k) => k.startsWith('refused')),
        target,
      ).toBe(true);
    }
  }, 300_000);
});
