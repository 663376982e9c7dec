import type { StepRecord } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { perfSummary, wandbStepRow } from './wandb-step-row.js';

/** A step of two uids: uid 3 evaluated (with timings), uid 5 failed. */
function sampleStep(overrides: Partial<StepRecord> = {}): StepRecord {
  const summary = { min: 2.5, median: 2.9, max: 3.4, nonFinite: 0 };
  return {
    v: 1,
    type: 'step',
    run: 'run-a',
    step: 12,
    time: 1_765_000_000_500,
    block: 4810,
    batchCount: 2,
    evaluations: 2,
    durationMs: 512_000,
    tokensPerSecond: 4100,
    pages: [
      { dataset: 'HuggingFaceFW/fineweb-edu-score-2', config: 'CC-MAIN-2024-10', offset: 1234 },
      { dataset: 'tiiuae/falcon-refinedweb', offset: 99 },
    ],
    rows: [
      {
        uid: 3,
        hotkey: '5Three',
        model: { namespace: 'a', name: 'm', commit: 'c', hash: 'h' },
        block: 4700,
        averageLoss: 2.91,
        lossSummary: summary,
        losses: [2.5, 3.32],
        wins: 2,
        winRate: 1,
        stepWeight: 0.98,
        weight: 0.61,
        failure: null,
        sharedWith: null,
        timings: { openMs: 200.5, loadMs: 1000, lossesMs: 0.75 },
      },
      {
        uid: 5,
        hotkey: '5Five',
        model: null,
        block: null,
        averageLoss: null,
        lossSummary: { min: null, median: null, max: null, nonFinite: 2 },
        wins: 0,
        winRate: 0,
        stepWeight: 0.02,
        weight: 0.01,
        failure: 'load-timeout',
        sharedWith: null,
      },
    ],
    weights: [0, 0, 0, 0.61, 0, 0.01],
    ...overrides,
  };
}

describe('wandbStepRow (the reference validator’s W&B keys)', () => {
  it('maps a step to time, block, uid_data, weight_data, the perf lines and original_format_json', () => {
    const row = wandbStepRow(sampleStep());
    expect(row).toMatchObject({
      time: 1_765_000_000.5,
      block: 4810,
      uid_data: { '3': 2.91, '5': null },
      weight_data: { '3': 0.61, '5': 0.01 },
      load_model_perf_log:
        'Eval: Load model performance: N=1 | Min=1.20 s | Max=1.20 s | Median=1.20 s | P90=1.20 s',
      compute_model_perf_log:
        'Eval: Compute loss performance: N=1 | Min=750.00 μs | Max=750.00 μs | Median=750.00 μs | P90=750.00 μs',
      pretrain: {
        run: 'run-a',
        step: 12,
        batch_count: 2,
        duration_s: 512,
        tokens_per_second: 4100,
        win_rate: { '3': 1, '5': 0 },
        step_weight: { '3': 0.98, '5': 0.02 },
        failure: { '3': null, '5': 'load-timeout' },
      },
    });
    expect(JSON.parse(row.original_format_json as string)).toEqual({
      timestamp: 1_765_000_000.5,
      pages: ['CC-MAIN-2024-10_1234_train', 99],
      uids: [3, 5],
      uid_data: {
        '3': { uid: 3, block: 4700, average_loss: 2.91, win_rate: 1, win_total: 2, weight: 0.61 },
        '5': { uid: 5, block: null, average_loss: null, win_rate: 0, win_total: 0, weight: 0.01 },
      },
    });
    // Strict JSON all through: W&B's history holds no bare Infinity or NaN.
    expect(JSON.parse(JSON.stringify(row))).toEqual(row);
  });

  it('writes N=0 perf lines for a step without timings', () => {
    const row = wandbStepRow(sampleStep({ rows: [{ ...sampleStep().rows[0]!, timings: undefined }] }));
    expect(row.load_model_perf_log).toBe('Eval: Load model performance: N=0');
    expect(row.compute_model_perf_log).toBe('Eval: Compute loss performance: N=0');
  });
});

describe('perfSummary', () => {
  // Golden lines from the reference's own utilities/perf_monitor.py (v3.2.0, numpy) run with
  // python3 on the same samples converted to ns: PerfMonitor(name).samples = [...]; summary_str().
  it.each([
    [
      'Eval: Load model',
      [1200.5, 830.25, 95000],
      'Eval: Load model performance: N=3 | Min=830.25 ms | Max=1.58 min | Median=1.20 s | P90=1.27 min',
    ],
    [
      'Eval: Compute loss',
      [0.75],
      'Eval: Compute loss performance: N=1 | Min=750.00 μs | Max=750.00 μs | Median=750.00 μs | P90=750.00 μs',
    ],
    ['Eval: Load model', [], 'Eval: Load model performance: N=0'],
    [
      'X',
      [0.0004, 0.02, 12, 59999, 61000],
      'X performance: N=5 | Min=400.00 ns | Max=1.02 min | Median=12.00 ms | P90=1.01 min',
    ],
  ])('%s of %j', (name, samples, expected) => {
    expect(perfSummary(name, samples)).toBe(expected);
  });
});
