import { mkdir, open, readFile, rename, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepHistorySink, StepResult } from '../validator/index.js';
import { isStepRecord, isWeightsRecord } from './record-shape.js';
import { stepRecordOf, type StepRecord, type WeightsRecord } from './step-record.js';

/** Name of the file being appended to; older ones are `steps.1.jsonl`, `steps.2.jsonl`, … */
export const HISTORY_FILE = 'steps.jsonl';

/** Size and memory limits of a {@link StepHistory}. */
export interface StepHistoryLimits {
  /** The active file is rotated before a line would take it past this (default 32 MiB). */
  readonly maxFileBytes?: number;
  /** Files kept, the active one included; the oldest is deleted on rotation (default 4). */
  readonly keepFiles?: number;
  /** Steps kept in memory for readers; older ones stay on disk only (default 2000). */
  readonly memorySteps?: number;
}

/** What a history holds: completed steps (each once, oldest first) and weight settings. */
export interface HistoryContents {
  readonly steps: readonly StepRecord[];
  readonly weights: readonly WeightsRecord[];
  /** Lines that were not records (a line cut by a kill, or damage): skipped. */
  readonly skippedLines: number;
}

const DEFAULTS: Required<StepHistoryLimits> = {
  maxFileBytes: 32 * 1024 * 1024,
  keepFiles: 4,
  memorySteps: 2000,
};

/**
 * The validator's step history: append-only JSON lines in one directory, one line per
 * completed step or weight setting, each appended and fsynced before the validator saves
 * its state. A kill can only cut the line being written, which the next writer trims.
 * Files rotate at a size cap so the history never fills the disk.
 *
 * A step whose state save a kill prevented is run again with the same run id and number;
 * readers keep the later line of such a pair, so every completed step appears once.
 * The history lives beside the state but is never discarded with it: a version upgrade
 * that wipes the evaluation state starts a new run in the same history.
 */
export class StepHistory implements StepHistorySink {
  private readonly limits: Required<StepHistoryLimits>;
  private steps: StepRecord[] = [];
  private weightSettings: WeightsRecord[] = [];
  private repaired = false;
  /** Appends run one at a time, in call order (a rotation must not interleave with a write). */
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(record: StepRecord | WeightsRecord) => void>();

  private constructor(
    /** The directory of the history files. */
    readonly dir: string,
    limits: StepHistoryLimits,
  ) {
    this.limits = { ...DEFAULTS, ...limits };
  }

  /** Open (and read) the history in `dir`; a missing directory is an empty history. */
  static async open(dir: string, limits: StepHistoryLimits = {}): Promise<StepHistory> {
    const history = new StepHistory(dir, limits);
    const contents = await readStepHistory(dir, history.limits.keepFiles);
    history.steps = withLossesOfNewestOnly(contents.steps.slice(-history.limits.memorySteps));
    history.weightSettings = contents.weights.slice(-history.limits.memorySteps);
    return history;
  }

  /** Completed steps in memory, oldest first; batch losses only on the newest. */
  recentSteps(): readonly StepRecord[] {
    return this.steps;
  }

  /** Weight settings in memory, oldest first. */
  weightsSet(): readonly WeightsRecord[] {
    return this.weightSettings;
  }

  /** Call `listener` after each appended record; returns the unsubscribe function. */
  subscribe(listener: (record: StepRecord | WeightsRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** {@link StepHistorySink}: append `result` as a step of `run`, durably. */
  async recordStep(run: string, result: StepResult): Promise<void> {
    const record = stepRecordOf(run, result, Date.now());
    await this.append(record);
    const kept = this.steps.filter((s) => s.run !== run || s.step !== result.step);
    this.steps = withLossesOfNewestOnly([...kept, record].slice(-this.limits.memorySteps));
    this.emit(record);
  }

  /** Append a `set_weights` that landed at `block`. */
  async recordWeights(info: {
    block: number;
    uids: readonly number[];
    values: readonly number[];
  }): Promise<void> {
    const record: WeightsRecord = {
      v: 1,
      type: 'weights',
      time: Date.now(),
      block: info.block,
      uids: [...info.uids],
      values: [...info.values],
    };
    await this.append(record);
    this.weightSettings = [...this.weightSettings, record].slice(-this.limits.memorySteps);
    this.emit(record);
  }

  /** Resolves when every append called so far has finished (failed ones included). */
  flush(): Promise<void> {
    return this.writes;
  }

  private emit(record: StepRecord | WeightsRecord): void {
    for (const listener of this.listeners) listener(record);
  }

  private append(record: StepRecord | WeightsRecord): Promise<void> {
    const done = this.writes.then(() => this.write(record));
    this.writes = done.catch(() => undefined);
    return done;
  }

  private async write(record: StepRecord | WeightsRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, HISTORY_FILE);
    if (!this.repaired) {
      await trimTornLine(path);
      this.repaired = true;
    }
    const line = `${JSON.stringify(record)}\n`;
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    if (size > 0 && size + Buffer.byteLength(line) > this.limits.maxFileBytes) await this.rotate();
    const file = await open(path, 'a');
    try {
      await file.writeFile(line);
      await file.sync();
    } finally {
      await file.close();
    }
  }

  /** `steps.jsonl` → `steps.1.jsonl` → … ; the oldest beyond `keepFiles` is deleted. */
  private async rotate(): Promise<void> {
    const keep = Math.max(1, this.limits.keepFiles);
    await rm(join(this.dir, rotatedName(keep - 1)), { force: true });
    for (let i = keep - 2; i >= 0; i--) {
      await rename(join(this.dir, rotatedName(i)), join(this.dir, rotatedName(i + 1))).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        },
      );
    }
    if (keep === 1) await rm(join(this.dir, HISTORY_FILE), { force: true });
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

/** `steps.jsonl` for 0, `steps.<i>.jsonl` for older files. */
function rotatedName(i: number): string {
  return i === 0 ? HISTORY_FILE : `steps.${i}.jsonl`;
}

/** Cut a last line that a kill left without its newline (the step in progress). */
async function trimTornLine(path: string): Promise<void> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch {
    return;
  }
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  await truncate(path, text.lastIndexOf(0x0a) + 1);
}

/** Only the newest step keeps its per-batch losses (the others' would cost memory for no chart). */
function withLossesOfNewestOnly(steps: readonly StepRecord[]): StepRecord[] {
  return steps.map((step, i) =>
    i === steps.length - 1 ? step : { ...step, rows: step.rows.map(({ losses: _losses, ...row }) => row) },
  );
}

/**
 * Read every history file in `dir`, oldest first. Lines that are not records are counted
 * and skipped; a step recorded twice (same run and number: redone after a kill) is kept
 * once, as its later record, at the later place.
 */
export async function readStepHistory(dir: string, keepFiles = DEFAULTS.keepFiles): Promise<HistoryContents> {
  const byKey = new Map<string, StepRecord>();
  const weights: WeightsRecord[] = [];
  let skippedLines = 0;
  for (let i = Math.max(1, keepFiles) - 1; i >= 0; i--) {
    let text: string;
    try {
      text = await readFile(join(dir, rotatedName(i)), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        skippedLines += 1;
        continue;
      }
      if (isStepRecord(value)) {
        const key = `${value.run}\u0000${value.step}`;
        byKey.delete(key);
        byKey.set(key, value);
      } else if (isWeightsRecord(value)) weights.push(value);
      else skippedLines += 1;
    }
  }
  return { steps: [...byKey.values()], weights, skippedLines };
}
