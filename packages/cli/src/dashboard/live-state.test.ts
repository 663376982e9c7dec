import { describe, expect, it } from 'vitest';
import { LiveState } from './live-state.js';

describe('LiveState', () => {
  it('follows a step model by model and extrapolates the time left from the progress so far', () => {
    let now = 0;
    const live = new LiveState('live', () => now);
    const o = live.observer();
    o.onStepStart?.({ step: 7, block: 100, uids: [1, 2], batchCount: 4 });
    expect(live.snapshot().step).toMatchObject({ modelIndex: 0, etaSeconds: null });
    o.onModelStart?.({ uid: 1, hotkey: '5A' });
    now = 10_000;
    o.onModelProgress?.({ uid: 1, batchesDone: 2, batchCount: 4, tokens: 2048 });
    // A quarter of the step (half of one model of two) took 10 s: 30 s are left.
    expect(live.snapshot().step).toMatchObject({ modelIndex: 1, uid: 1, batchesDone: 2, etaSeconds: 30 });
    expect(live.snapshot().step!.tokensPerSecond).toBeCloseTo(204.8, 6);
    o.onDownload?.({ phase: 'start', hotkey: '5B', id: { namespace: 'x', name: 'y' } });
    expect(live.snapshot().downloads).toEqual([{ hotkey: '5B', repo: 'x/y', since: 10_000 }]);
    o.onDownload?.({ phase: 'end', hotkey: '5B', id: { namespace: 'x', name: 'y' }, ok: true });
    expect(live.snapshot().downloads).toEqual([]);
    o.onWeightsSet?.({ block: 120, uids: [1], values: [65535] });
    o.onStepDone?.({} as never);
    expect(live.snapshot()).toMatchObject({ step: null, lastWeights: { block: 120, time: 10_000 } });
  });
});
