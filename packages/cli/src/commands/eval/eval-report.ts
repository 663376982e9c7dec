import { computeWins, softmax, SUBNET9_CONSTANTS } from '@pretrain/core';
import type { OutputStream } from '../../cli-io.js';
import { renderTable, writeJson } from '../../output/index.js';
import type { ModelEvaluation } from './evaluate-models.js';

/** One model's line of the `pretrain eval` report. */
export interface EvalReportEntry {
  readonly path: string;
  readonly losses: readonly number[];
  readonly averageLoss: number;
  readonly winRate: number;
  readonly weight: number;
}

/**
 * Score evaluated models as a validator scores a step: head-to-head wins per batch with
 * the earlier block's epsilon advantage, win rates, and weights = softmax(win rates / T).
 */
export function scoreEvaluations(
  paths: readonly string[],
  evaluations: readonly ModelEvaluation[],
  blocks: readonly number[],
): EvalReportEntry[] {
  const losses = evaluations.map((e) => e.losses);
  const { winRates } = computeWins(losses, blocks);
  const weights = softmax(winRates, SUBNET9_CONSTANTS.temperature);
  return paths.map((path, i) => {
    const own = losses[i] ?? [];
    return {
      path,
      losses: own,
      averageLoss: own.reduce((a, b) => a + b, 0) / own.length,
      winRate: winRates[i] ?? 0,
      weight: weights[i] ?? 0,
    };
  });
}

/**
 * `{"models":[{path, losses, averageLoss, winRate, weight}]}`; infinite losses as null and
 * NaN ones as `"NaN"`, as `pretrain score` reads them (JSON has neither).
 */
export function printEvalJson(out: OutputStream, entries: readonly EvalReportEntry[]): void {
  const models = entries.map((e) => ({
    ...e,
    losses: e.losses.map(nanAsText),
    averageLoss: nanAsText(e.averageLoss),
  }));
  writeJson(out, { models }, { pretty: false });
}

function nanAsText(value: number): number | 'NaN' {
  return Number.isNaN(value) ? 'NaN' : value;
}

function formatAverage(loss: number): string {
  if (Number.isNaN(loss)) return 'nan';
  return Number.isFinite(loss) ? loss.toFixed(6) : 'inf';
}

/** The human table: one row per model, in the order given. */
export function printEvalTable(
  out: OutputStream,
  entries: readonly EvalReportEntry[],
  evaluations: readonly ModelEvaluation[],
  blocks: readonly number[] | undefined,
): void {
  const right = { align: 'right' } as const;
  const columns = [
    { header: 'model' },
    ...(blocks ? [{ header: 'block', ...right }] : []),
    { header: 'avg loss', ...right },
    { header: 'batches', ...right },
    { header: 'sanity' },
    { header: 'win rate', ...right },
    { header: 'weight', ...right },
  ];
  const rows = entries.map((e, i) => [
    e.path,
    ...(blocks ? [String(blocks[i])] : []),
    formatAverage(e.averageLoss),
    String(e.losses.length),
    evaluations[i]?.sanity ?? '',
    e.winRate.toFixed(4),
    e.weight.toFixed(6),
  ]);
  out.write(renderTable(columns, rows));
}
