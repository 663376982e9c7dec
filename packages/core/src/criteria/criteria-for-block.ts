import { UsageError } from '@pretrain/backend-sdk';
import type { Competition, CompetitionSchedule, ModelCriteria, ScheduleEntry } from './competition.js';
import { COMPETITION_SCHEDULE } from './competition-schedule.js';

/**
 * The schedule entry in force at `block`: the last one whose `fromBlock` is <= `block`.
 *
 * @throws UsageError for a NaN block or one before the schedule's first entry.
 */
export function scheduleEntryForBlock(
  block: number,
  schedule: CompetitionSchedule = COMPETITION_SCHEDULE,
): ScheduleEntry {
  let found: ScheduleEntry | undefined;
  for (const entry of schedule) {
    if (entry.fromBlock <= block) found = entry;
    else break;
  }
  if (found === undefined) {
    throw new UsageError(`no competition is scheduled at block ${block}`, {
      hint: 'blocks start at 0; the first schedule entry must start at block 0',
    });
  }
  return found;
}

/** Every competition in force at `block`. */
export function competitionsForBlock(
  block: number,
  schedule: CompetitionSchedule = COMPETITION_SCHEDULE,
): readonly Competition[] {
  return scheduleEntryForBlock(block, schedule).competitions;
}

/**
 * The competition a model committed at `block` takes part in. Where the range has a
 * single competition (all of schema 2.2.2), every model takes part in it whatever its
 * commitment's fifth field says, as the reference then ignored that field. Where there
 * are several, the competition id names one, and a commitment without one joins the
 * first. Undefined for an id the schedule does not know at that block (network input:
 * reject, never crash).
 */
export function findCompetition(
  block: number,
  competitionId: string | undefined,
  schedule: CompetitionSchedule = COMPETITION_SCHEDULE,
): Competition | undefined {
  const competitions = competitionsForBlock(block, schedule);
  if (competitionId === undefined || competitions.length === 1) return competitions[0];
  return competitions.find((c) => c.id === competitionId);
}

/**
 * The rules for a model committed at `block` (docs/SUBNET.md §4), with `dataset` taken from
 * the competition's first eval task.
 *
 * @throws UsageError for a block before the schedule or an unknown competition id.
 */
export function criteriaForBlock(
  block: number,
  schedule: CompetitionSchedule = COMPETITION_SCHEDULE,
  competitionId?: string,
): ModelCriteria {
  const competition = findCompetition(block, competitionId, schedule);
  const task = competition?.evalTasks[0];
  if (competition === undefined || task === undefined) {
    throw new UsageError(
      `no competition '${competitionId ?? '(default)'}' with an eval task at block ${block}`,
      {
        hint: `known here: ${competitionsForBlock(block, schedule)
          .map((c) => c.id)
          .join(', ')}`,
      },
    );
  }
  return { ...competition.constraints, dataset: task.dataset };
}
