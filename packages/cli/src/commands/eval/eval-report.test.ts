import { describe, expect, it } from 'vitest';
import { parseStep } from '../score/parse-step.js';
import { printEvalJson, printEvalTable, scoreEvaluations } from './eval-report.js';

describe('the eval report', () => {
  const evaluations = [
    { losses: [2, Number.NaN], sanity: 'passed' as const },
    { losses: [3, 1], sanity: 'passed' as const },
    { losses: [Infinity, Infinity], sanity: 'failed' as const, failure: 'sanity-check: repetitive' },
  ];
  const entries = scoreEvaluations(['a', 'b', 'c'], evaluations, [1, 1, 1]);

  it('scores a NaN batch as a win for neither side', () => {
    // Batch 0: a (2) beats b (3) and c (inf); b beats c. Batch 1: a is NaN; b (1) beats c.
    expect(entries.map((e) => e.winRate)).toEqual([2 / 4, 2 / 4, 0]);
  });

  it('writes a NaN loss as "NaN" in JSON, which `pretrain score` reads back as NaN', () => {
    let text = '';
    printEvalJson({ write: (chunk: string) => (text += chunk) }, entries);
    const json = JSON.parse(text) as {
      models: { losses: (number | string | null)[]; averageLoss: unknown }[];
    };
    expect(json.models[0]!.losses).toEqual([2, 'NaN']);
    expect(json.models[0]!.averageLoss).toBe('NaN');
    expect(json.models[2]!.losses).toEqual([null, null]);
    const step = parseStep(
      { uids: [0, 1, 2], blocks: [1, 1, 1], losses: json.models.map((m) => m.losses) },
      'eval.json',
    );
    expect(step.losses[0]).toEqual([2, Number.NaN]);
  });

  it('shows a NaN average as nan in the table', () => {
    let text = '';
    printEvalTable({ write: (chunk: string) => (text += chunk) }, entries, evaluations, undefined);
    expect(text.split('\n')[1]).toMatch(/^a\s+nan\s/);
  });
});
