import type { Logger } from '@pretrain/core';
import type { OutputStream } from '../../cli-io.js';
import type { StepRecord } from './training-log.js';

/**
 * What a person sees per step: on a TTY one line rewritten in place (step, loss, lr,
 * tokens/s, ETA); with `--log-format json`, one `train step` log line each; else a log line.
 */
export class StepProgress {
  private shown = false;
  private readonly recent: StepRecord[] = [];

  constructor(
    private readonly stderr: OutputStream & { readonly isTTY?: boolean },
    private readonly logger: Logger,
    private readonly json: boolean,
    private readonly totalSteps: number | undefined,
  ) {}

  step(record: StepRecord): void {
    this.recent.push(record);
    if (this.recent.length > 20) this.recent.shift();
    const seconds = this.recent.reduce((a, r) => a + r.seconds, 0);
    const tokensPerSecond = this.recent.reduce((a, r) => a + r.tokens, 0) / Math.max(seconds, 1e-9);
    const eta =
      this.totalSteps === undefined
        ? undefined
        : ((this.totalSteps - record.step) * seconds) / this.recent.length;
    if (this.json || this.stderr.isTTY !== true) {
      // Field names avoid "token": the logger masks fields named like secrets.
      this.logger.info('train step', {
        step: record.step,
        loss: record.loss,
        lr: record.lr,
        inputIds: record.tokens,
        seconds: Number(record.seconds.toFixed(3)),
        idsPerSecond: Math.round(tokensPerSecond),
      });
      return;
    }
    const line =
      `step ${record.step}${this.totalSteps === undefined ? '' : `/${this.totalSteps}`}  ` +
      `loss ${record.loss.toFixed(4)}  lr ${record.lr.toExponential(2)}  ` +
      `${Math.round(tokensPerSecond)} tok/s` +
      (eta === undefined ? '' : `  ETA ${formatSeconds(eta)}`);
    this.stderr.write(`\r\x1b[2K${line}`);
    this.shown = true;
  }

  /** Remove the in-place line. */
  clear(): void {
    if (this.shown) this.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}

function formatSeconds(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}
