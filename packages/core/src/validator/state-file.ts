import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../contracts/index.js';
import { errorMessage } from './rejection-reason.js';

/**
 * What a validator persists after every step (docs/SUBNET.md §7). Written only at step
 * boundaries, so a kill at any moment leaves either the previous or the next step's
 * state, never a half-counted step.
 */
export interface ValidatorState {
  /** Validator version (the weights version key); another version discards the state. */
  readonly version: number;
  /** Steps completed so far. */
  readonly step: number;
  /** The tracker's serialised form (hotkey → metadata). */
  readonly tracker: unknown;
  /** Uids that survived to the next step. */
  readonly uidsToEval: readonly number[];
  /** Uids with new models waiting for their first step. */
  readonly pendingUids: readonly number[];
  /** The moving-average weight of every uid (index = uid). */
  readonly weights: readonly number[];
  /**
   * Id of this line of steps, new whenever the state starts fresh: step numbers restart
   * then, and the step history tells the runs apart by it. Absent in older files.
   */
  readonly run?: string | undefined;
}

/**
 * Write `state` atomically: a temporary file is written and fsynced, then renamed over
 * `path` and the directory fsynced, so a crash leaves the old or the new file whole.
 */
export async function saveValidatorState(path: string, state: ValidatorState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(`${JSON.stringify(state)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Read the state at `path`. A missing file, a damaged file or another `version` gives
 * undefined (start fresh), logged with the reason; it never throws. A damaged file is
 * first renamed to `<path>.corrupt-<time>`, so the next save does not destroy what an
 * operator may want to inspect or repair.
 */
export async function loadValidatorState(
  path: string,
  version: number,
  logger: Logger,
): Promise<ValidatorState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger.warn('validator state unreadable; starting fresh', { path, error: errorMessage(error) });
    }
    return undefined;
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    const keptAt = await keepCorrupt(path);
    logger.warn('validator state is not JSON; starting fresh', { path, keptAt, error: errorMessage(error) });
    return undefined;
  }
  if (!isState(state)) {
    const keptAt = await keepCorrupt(path);
    logger.warn('validator state has an unexpected shape; starting fresh', { path, keptAt });
    return undefined;
  }
  if (state.version !== version) {
    logger.info('validator version changed; discarding state', {
      path,
      stateVersion: state.version,
      version,
    });
    return undefined;
  }
  return state;
}

/** Move a damaged state file aside (`<path>.corrupt-<UTC time>`); its new path, or undefined if that failed. */
async function keepCorrupt(path: string): Promise<string | undefined> {
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  return rename(path, aside).then(
    () => aside,
    () => undefined,
  );
}

function isUidList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((uid) => Number.isInteger(uid) && uid >= 0);
}

function isState(value: unknown): value is ValidatorState {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    typeof s.version === 'number' &&
    Number.isInteger(s.step) &&
    isUidList(s.uidsToEval) &&
    isUidList(s.pendingUids) &&
    Array.isArray(s.weights) &&
    s.weights.every((w) => typeof w === 'number' && Number.isFinite(w)) &&
    typeof s.tracker === 'object' &&
    s.tracker !== null &&
    (s.run === undefined || typeof s.run === 'string')
  );
}
