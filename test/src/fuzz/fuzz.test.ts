import { describe, expect, it } from 'vitest';
import { runCampaign, TARGET_NAMES } from '../../../scripts/fuzz/campaign.mjs';

// A short run of the campaign `npm run fuzz` runs at length (docs/FUZZING.md): the same
// targets and entry points, on the built packages, with another seed than the long runs.
// Case i of a seed is always the same input; the time bound only decides how many of the
// 3000 run on a slow or loaded machine (all of them take about 10 s on an idle core).
describe('fuzz campaign (short)', () => {
  it('survives up to 3000 mutated inputs without a crash, hang or memory failure', async () => {
    const summary = await runCampaign({ seed: 'npm-test', cases: 3000, maxSeconds: 20, hangSeconds: 30 });
    expect(summary.failures).toEqual([]);
    // Every target has both accepted and refused an input within the first 26 cases.
    expect(summary.cases).toBeGreaterThanOrEqual(100);
    expect(Object.keys(summary.outcomes).sort()).toEqual([...TARGET_NAMES].sort());
    // Every target both accepts and refuses some inputs: the mutations reach past the parsers.
    for (const [target, outcomes] of Object.entries(summary.outcomes)) {
      expect(outcomes['accepted'] ?? 0, target).toBeGreaterThan(0);
      expect(
        Object.keys(outcomes).some((k) => k.startsWith('refused')),
        target,
      ).toBe(true);
    }
  }, 120_000);
});
