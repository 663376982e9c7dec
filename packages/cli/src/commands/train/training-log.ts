import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One optimizer step as `--json`, the CSV log and the curve show it. */
export interface StepRecord {
  readonly step: number;
  /** Mean loss of the step's micro-batches before the update. */
  readonly loss: number;
  readonly lr: number;
  /** Tokens fed forward in this step. */
  readonly tokens: number;
  /** Wall-clock seconds the step took. */
  readonly seconds: number;
}

/** `training-log.csv`: a header, then one line per step. */
export function trainingCsv(steps: readonly StepRecord[]): string {
  const lines = steps.map((s) => `${s.step},${s.loss},${s.lr},${s.tokens},${s.seconds.toFixed(3)}`);
  return ['step,loss,lr,tokens,seconds', ...lines].join('\n') + '\n';
}

/** `training-curve.svg`: the loss per step as a polyline on labelled axes. */
export function trainingCurveSvg(steps: readonly StepRecord[]): string {
  const W = 640;
  const H = 360;
  const pad = 48;
  const finite = steps.filter((s) => Number.isFinite(s.loss));
  const losses = finite.map((s) => s.loss);
  const lo = losses.length > 0 ? Math.min(...losses) : 0;
  const hi = losses.length > 0 ? Math.max(...losses) : 1;
  const first = finite[0]?.step ?? 0;
  const last = finite.at(-1)?.step ?? 1;
  const x = (step: number) => pad + ((step - first) / Math.max(1, last - first)) * (W - 2 * pad);
  const y = (loss: number) => H - pad - ((loss - lo) / Math.max(1e-12, hi - lo)) * (H - 2 * pad);
  const points = finite.map((s) => `${x(s.step).toFixed(1)},${y(s.loss).toFixed(1)}`).join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="black"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle" font-size="12">optimizer step (${first}–${last})</text>`,
    `<text x="12" y="${H / 2}" font-size="12" transform="rotate(-90 12 ${H / 2})" text-anchor="middle">training loss</text>`,
    `<text x="${pad - 4}" y="${pad + 4}" text-anchor="end" font-size="10">${hi.toFixed(3)}</text>`,
    `<text x="${pad - 4}" y="${H - pad}" text-anchor="end" font-size="10">${lo.toFixed(3)}</text>`,
    `<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${points}"/>`,
    '</svg>',
    '',
  ].join('\n');
}

/** Write `training-log.csv` and `training-curve.svg` into `dir`. */
export async function writeTrainingLog(dir: string, steps: readonly StepRecord[]): Promise<void> {
  await writeFile(join(dir, 'training-log.csv'), trainingCsv(steps));
  await writeFile(join(dir, 'training-curve.svg'), trainingCurveSvg(steps));
}
