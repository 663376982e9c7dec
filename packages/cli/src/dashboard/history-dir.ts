import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where a validator whose models and state live in `modelDir` keeps its step history. */
export function historyDirOf(modelDir: string): string {
  return join(modelDir, 'history');
}

/**
 * The history directory under `dir`: given a data directory (`<dir>/validator/history`,
 * the validator's default), a model directory (`<dir>/history`) or the history itself.
 * Undefined when none of them holds one.
 */
export function findHistoryDir(dir: string): string | undefined {
  const candidates = [join(dir, 'validator', 'history'), join(dir, 'history'), dir];
  return candidates.find((candidate) => existsSync(join(candidate, 'steps.jsonl')));
}
