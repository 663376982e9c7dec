import { randomBytes } from 'node:crypto';
import type { Logger, StepRecord } from '@pretrain/core';
import type { WandbApi, WandbRunPath } from './wandb-api.js';
import { wandbStepRow } from './wandb-step-row.js';

/** What a {@link WandbStepLogger} logs to, and its limits. */
export interface WandbStepLoggerOptions {
  readonly api: Pick<WandbApi, 'viewerEntity' | 'upsertRun' | 'fileStream' | 'cancel'>;
  readonly project: string;
  /** Absent: the key's default entity. */
  readonly entity?: string | undefined;
  /** Config of every run (`run_name` is added per run). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Runs are named `<namePrefix>-<YYYY-MM-DD_HH-MM-SS>` (UTC). */
  readonly namePrefix: string;
  /** Warnings go here (the CLI's logger: `--log-format` holds). */
  readonly logger: Logger;
  /** Steps per W&B run before a new one starts (default 100, as the reference). */
  readonly stepsPerRun?: number;
  /** Steps kept while W&B cannot be reached; the oldest are dropped beyond (default 500). */
  readonly maxPending?: number;
  /** Clock in ms (tests pin it). */
  readonly now?: () => number;
}

interface OpenRun {
  readonly path: WandbRunPath;
  /** The validator run its steps belong to: a new validator run starts a new W&B run. */
  readonly validatorRun: string;
  readonly startedAt: number;
  /** History lines sent: the next line's offset. */
  lines: number;
  lastStep: number;
  summary: Record<string, unknown>;
}

/**
 * Sends completed steps to W&B in the background, in the reference validator's shape
 * ({@link wandbStepRow}). {@link log} only queues: a W&B that is down, failing or slow never
 * holds or fails a step. One request runs at a time; what fails stays queued (up to
 * `maxPending`) and is sent with the next step. The first failure of a streak is one warning
 * line, the recovery one info line. {@link finish} ends the run within a deadline.
 */
export class WandbStepLogger {
  private readonly stepsPerRun: number;
  private readonly maxPending: number;
  private readonly now: () => number;
  private pending: StepRecord[] = [];
  private run: OpenRun | undefined;
  private entity: string | undefined;
  /** The id of the run being created: a retried upsert names the same run. */
  private nextRunId: string | undefined;
  private work: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failing = false;
  private dropped = 0;
  private closed = false;

  constructor(private readonly options: WandbStepLoggerOptions) {
    this.stepsPerRun = options.stepsPerRun ?? 100;
    this.maxPending = options.maxPending ?? 500;
    this.now = options.now ?? Date.now;
    this.entity = options.entity;
  }

  /** Queue a completed step; returns at once and never throws. */
  log(record: StepRecord): void {
    if (this.closed) return;
    this.pending.push(record);
    if (this.pending.length > this.maxPending) {
      this.pending.shift();
      this.dropped += 1;
    }
    this.schedule();
  }

  /** Resolves when every step queued so far was sent or its sending failed. */
  idle(): Promise<void> {
    return this.work;
  }

  /**
   * Send what is queued and finish the run, waiting at most `timeoutMs`; past it every request
   * is abandoned (the run is left for W&B to mark crashed). Never throws.
   */
  async finish(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return this.work;
    this.closed = true;
    const done = this.work.then(async () => {
      if (this.pending.length > 0) await this.send();
      if (this.run !== undefined) await this.finishRun().catch((error: unknown) => this.failed(error));
    });
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      done.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (late) {
      this.options.api.cancel();
      this.options.logger.warn('Weights & Biases did not answer in time at shutdown; its run is left open', {
        waitedSeconds: timeoutMs / 1000,
      });
      await done;
    }
    if (this.pending.length > 0) {
      this.options.logger.warn('steps not sent to Weights & Biases (the step history has them)', {
        steps: this.pending.length + this.dropped,
      });
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.work = this.work.then(() => {
      this.scheduled = false;
      return this.send();
    });
  }

  /** Send every queued step; a failure is logged and leaves the rest queued. */
  private async send(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const run = await this.runFor(this.pending[0]!);
        const batch = this.batchFor(run);
        const rows = batch.map((record) => ({
          ...wandbStepRow(record),
          _step: record.step,
          _runtime: Math.max(0, (record.time - run.startedAt) / 1000),
          _timestamp: record.time / 1000,
        }));
        const summary = { ...run.summary, ...rows.at(-1) };
        await this.options.api.fileStream(run.path, {
          files: {
            'wandb-history.jsonl': { offset: run.lines, content: rows.map((row) => JSON.stringify(row)) },
            'wandb-summary.json': { offset: 0, content: [JSON.stringify(summary)] },
          },
        });
        run.lines += rows.length;
        run.lastStep = batch.at(-1)!.step;
        run.summary = summary;
        // By identity: `log` may have dropped the oldest while the request ran.
        const sent = new Set(batch);
        this.pending = this.pending.filter((record) => !sent.has(record));
        if (run.lines >= this.stepsPerRun) await this.finishRun();
      }
      this.recovered();
    } catch (error) {
      this.failed(error);
    }
  }

  /** The open run if `record` continues it, else a new one (the old one finished). */
  private async runFor(record: StepRecord): Promise<OpenRun> {
    const open = this.run;
    if (
      open !== undefined &&
      open.validatorRun === record.run &&
      record.step > open.lastStep &&
      open.lines < this.stepsPerRun
    ) {
      return open;
    }
    if (open !== undefined) await this.finishRun();
    this.entity ??= await this.options.api.viewerEntity();
    this.nextRunId ??= runId();
    const started = this.now();
    const stamp = new Date(started).toISOString().slice(0, 19).replace('T', '_').replaceAll(':', '-');
    const path = await this.options.api.upsertRun({
      entity: this.entity,
      project: this.options.project,
      name: this.nextRunId,
      displayName: `${this.options.namePrefix}-${stamp}`,
      config: { ...this.options.config, run_name: stamp },
    });
    this.nextRunId = undefined;
    this.run = {
      path,
      validatorRun: record.run,
      startedAt: started,
      lines: 0,
      lastStep: -Infinity,
      summary: {},
    };
    this.options.logger.info('logging steps to Weights & Biases', {
      run: `${path.entity}/${path.project}/${path.name}`,
    });
    return this.run;
  }

  /** The queued steps, from the first, that go into `run` together. */
  private batchFor(run: OpenRun): StepRecord[] {
    const batch: StepRecord[] = [];
    let last = run.lastStep;
    for (const record of this.pending) {
      if (record.run !== run.validatorRun || record.step <= last) break;
      if (run.lines + batch.length >= this.stepsPerRun) break;
      batch.push(record);
      last = record.step;
    }
    return batch;
  }

  private async finishRun(): Promise<void> {
    const run = this.run;
    if (run === undefined) return;
    // Forgotten first: a run whose end was not acknowledged is not written to again.
    this.run = undefined;
    await this.options.api.fileStream(run.path, { complete: true, exitcode: 0 });
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.failing) {
      this.options.logger.debug('Weights & Biases logging still fails', { error: message });
      return;
    }
    this.failing = true;
    this.options.logger.warn(
      'Weights & Biases logging failed; the validator goes on and retries with the next step',
      {
        error: message,
        pending: this.pending.length,
      },
    );
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.options.logger.info('Weights & Biases logging works again', { dropped: this.dropped });
    this.dropped = 0;
  }
}

/** A run id as W&B's SDKs make them: 8 characters of [a-z0-9]. */
function runId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
