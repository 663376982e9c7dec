import { UsageError } from '@pretrain/backend-sdk';
import { DATASET_NAMES, TOKENIZER_NAMES, type Competition, type CompetitionSchedule } from './competition.js';

/** Shares are floats from config files: allow rounding in their sums. */
const SHARE_TOLERANCE = 1e-9;

function fail(message: string): never {
  throw new UsageError(`invalid competition schedule: ${message}`, {
    hint: 'entries ascend by fromBlock from 0; each entry has competitions with unique ids whose rewardShare sum to 1, each with eval tasks whose weights sum to 1',
  });
}

function checkShares(what: string, shares: readonly number[]): void {
  if (shares.length === 0) fail(`${what} is empty`);
  if (shares.some((s) => !(s > 0 && s <= 1))) fail(`${what} has a share outside (0, 1]`);
  const sum = shares.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > SHARE_TOLERANCE) fail(`${what} shares sum to ${sum}, not 1`);
}

/** The constraints and tasks of one competition; `where` names it in the error. */
function checkCompetition(where: string, competition: Competition): void {
  checkShares(
    `${where} eval tasks`,
    competition.evalTasks.map((t) => t.weight),
  );
  const unknownDataset = competition.evalTasks.find(
    (t) => !(DATASET_NAMES as readonly string[]).includes(t.dataset),
  );
  if (unknownDataset !== undefined) {
    fail(
      `${where} task '${unknownDataset.id}' has dataset '${unknownDataset.dataset}', expected one of ${DATASET_NAMES.join(', ')}`,
    );
  }
  const { sequenceLength, batchSize, maxBytes, maxParameters, tokenizer, allowedArchitectures, bf16 } =
    competition.constraints;
  if (![sequenceLength, batchSize, maxBytes, maxParameters].every((n) => Number.isSafeInteger(n) && n > 0)) {
    fail(`${where} has a non-positive size limit`);
  }
  if (!(TOKENIZER_NAMES as readonly string[]).includes(tokenizer)) {
    fail(`${where} has tokenizer '${tokenizer}', expected one of ${TOKENIZER_NAMES.join(', ')}`);
  }
  if (!Array.isArray(allowedArchitectures) || allowedArchitectures.length === 0) {
    fail(`${where} allows no architecture`);
  }
  if (typeof bf16 !== 'boolean') fail(`${where} has a non-boolean bf16`);
}

/**
 * Check a schedule (e.g. one loaded from a config file) so that lookups can rely on it.
 *
 * @throws UsageError naming the first problem found.
 */
export function validateSchedule(schedule: CompetitionSchedule): void {
  if (schedule.length === 0 || schedule[0]?.fromBlock !== 0) fail('the first entry must start at block 0');
  schedule.forEach((entry, index) => {
    const where = `entry ${index} (from block ${entry.fromBlock})`;
    if (!Number.isSafeInteger(entry.fromBlock)) fail(`${where} has a non-integer fromBlock`);
    const previous = schedule[index - 1];
    if (previous !== undefined && entry.fromBlock <= previous.fromBlock) fail(`${where} does not ascend`);
    const ids = entry.competitions.map((c) => c.id);
    if (new Set(ids).size !== ids.length) fail(`${where} repeats a competition id`);
    if (ids.some((id) => id === '' || id.includes(':')))
      fail(`${where} has an empty id or one containing ':'`);
    checkShares(
      `${where} competitions`,
      entry.competitions.map((c) => c.rewardShare),
    );
    for (const competition of entry.competitions) {
      checkCompetition(`${where} competition '${competition.id}'`, competition);
    }
  });
}
