import type { StepResult } from '@pretrain/core';
import type { OutputStream } from '../cli-io.js';
import { renderTable } from '../output/index.js';
import type { PublishedMiner } from './publish-miners.js';

/** uid → the demo label of the miner holding it. */
export type UidLabels = ReadonlyMap<number, string>;

const loss = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : 'inf');

/** The committed miners: who, what, where and at which block. */
export function printMiners(
  out: OutputStream,
  miners: readonly PublishedMiner[],
  uidOf: (hotkey: string) => number,
): void {
  const rows = miners.map((m) => [
    String(uidOf(m.hotkey)),
    m.label,
    `${m.push.id.namespace}/${m.push.id.name}`,
    m.push.id.commit!.slice(0, 10),
    m.push.id.hash!,
    String(m.push.block),
  ]);
  const columns = [
    { header: 'uid', align: 'right' as const },
    { header: 'miner' },
    { header: 'repo' },
    { header: 'commit' },
    { header: 'hash' },
    { header: 'block', align: 'right' as const },
  ];
  out.write(renderTable(columns, rows));
}

/** One eval step: average loss, wins and win rate, weight after the step, block. */
export function printStep(out: OutputStream, step: StepResult, labels: UidLabels): void {
  out.write(
    `step ${step.step} at block ${step.block}: ${step.batchCount} batches, ${Math.round(step.tokensPerSecond)} tokens/s\n`,
  );
  const rows = [...step.rows]
    .sort((a, b) => a.uid - b.uid)
    .map((r) => [
      String(r.uid),
      labels.get(r.uid) ?? '?',
      loss(r.averageLoss),
      String(r.wins),
      r.winRate.toFixed(3),
      r.weight.toFixed(4),
      Number.isFinite(r.block) ? String(r.block) : '-',
      r.failure ?? '',
    ]);
  const columns = [
    { header: 'uid', align: 'right' as const },
    { header: 'miner' },
    { header: 'avg loss', align: 'right' as const },
    { header: 'wins', align: 'right' as const },
    { header: 'win rate', align: 'right' as const },
    { header: 'weight', align: 'right' as const },
    { header: 'block', align: 'right' as const },
    { header: 'failure' },
  ];
  out.write(renderTable(columns, rows));
}

/** Weights as read back from the chain: u16 values and their shares. */
export function printChainWeights(
  out: OutputStream,
  weights: readonly (readonly [number, number])[],
  labels: UidLabels,
): void {
  const total = weights.reduce((sum, [, value]) => sum + value, 0);
  const rows = weights.map(([uid, value]) => [
    String(uid),
    labels.get(uid) ?? '?',
    String(value),
    total === 0 ? '0' : (value / total).toFixed(4),
  ]);
  const columns = [
    { header: 'uid', align: 'right' as const },
    { header: 'miner' },
    { header: 'u16', align: 'right' as const },
    { header: 'share', align: 'right' as const },
  ];
  out.write(renderTable(columns, rows));
}
