import { UsageError } from '@pretrain/core';

/**
 * A validator step to replay; `null` = +infinity (no metadata / a failed batch); a loss
 * that came out NaN is `NaN` (written `"NaN"` in the JSON).
 */
export interface StepInput {
  /** The uids of the step, each once. */
  readonly uids: readonly number[];
  /** Per uid, the block of its commitment. */
  readonly blocks: readonly (number | null)[];
  /** Per uid, the loss of each batch; every row has the same length. */
  readonly losses: readonly (readonly (number | null)[])[];
}

const EXAMPLE = '{"uids":[3,0,7],"blocks":[120,100,null],"losses":[[2.1,2.0],[2.2,null],[2.0,2.0]]}';

/**
 * Check that `data` (parsed JSON from `source`) is a {@link StepInput}: uids distinct
 * non-negative integers, `blocks` and `losses` aligned with them, blocks non-negative
 * integers or null, losses non-negative numbers, null or `"NaN"`, and every uid scored
 * on the same number of batches. Keys other than these three are ignored. `"NaN"` (JSON
 * has no NaN) becomes `NaN`: a batch won by neither side, as in the reference.
 */
export function parseStep(data: unknown, source: string): StepInput {
  const fail = (what: string): never => {
    throw new UsageError(`${source}: ${what}`, { hint: `expected JSON like ${EXAMPLE}` });
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('not a JSON object');
  const { uids, blocks, losses } = data as Record<string, unknown>;
  for (const [key, value] of Object.entries({ uids, blocks, losses })) {
    if (!Array.isArray(value))
      return fail(`"${key}" must be an array, got ${JSON.stringify(value) ?? 'nothing'}`);
  }
  const uidList = uids as unknown[];
  const seen = new Set<number>();
  uidList.forEach((uid, i) => {
    if (!Number.isSafeInteger(uid) || (uid as number) < 0) {
      fail(`uids[${i}] is ${JSON.stringify(uid)}, not a non-negative integer`);
    }
    if (seen.has(uid as number)) fail(`uids[${i}] repeats uid ${String(uid)}`);
    seen.add(uid as number);
  });
  const aligned = (key: string, list: unknown[]) => {
    if (list.length !== uidList.length) {
      fail(`"${key}" has ${list.length} entries but "uids" has ${uidList.length}; they are aligned`);
    }
  };
  aligned('blocks', blocks as unknown[]);
  aligned('losses', losses as unknown[]);
  (blocks as unknown[]).forEach((block, i) => {
    if (block !== null && (!Number.isSafeInteger(block) || (block as number) < 0)) {
      fail(`blocks[${i}] is ${JSON.stringify(block)}, not a block number or null`);
    }
  });
  const rows = losses as unknown[];
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) return fail(`losses[${i}] is ${JSON.stringify(row)}, not an array of losses`);
    const first = rows[0] as unknown[];
    if (row.length !== first.length) {
      fail(
        `losses[${i}] has ${row.length} batches but losses[0] has ${first.length}; use null for a failed batch`,
      );
    }
    row.forEach((loss: unknown, b) => {
      if (loss !== null && loss !== 'NaN' && (typeof loss !== 'number' || loss < 0)) {
        fail(`losses[${i}][${b}] is ${JSON.stringify(loss)}, not a non-negative number, null or "NaN"`);
      }
    });
  });
  const parsed = (rows as unknown[][]).map((row) =>
    row.map((loss) => (loss === 'NaN' ? Number.NaN : (loss as number | null))),
  );
  return { uids: uidList as number[], blocks: blocks as (number | null)[], losses: parsed };
}
