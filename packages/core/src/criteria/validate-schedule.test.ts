import { describe, expect, it } from 'vitest';
import type { CompetitionSchedule, ScheduleEntry } from './competition.js';
import { COMPETITION_SCHEDULE } from './competition-schedule.js';
import { validateSchedule } from './validate-schedule.js';

const entry = COMPETITION_SCHEDULE[0]!;
const competition = entry.competitions[0]!;

function withEntry(patch: Partial<ScheduleEntry>): CompetitionSchedule {
  return [entry, { ...entry, fromBlock: 10, ...patch }];
}

describe('validateSchedule', () => {
  it('accepts the subnet 9 schedule', () => {
    expect(() => validateSchedule(COMPETITION_SCHEDULE)).not.toThrow();
  });

  it('refuses an empty schedule or one not starting at block 0', () => {
    expect(() => validateSchedule([])).toThrow(/block 0/);
    expect(() => validateSchedule([{ ...entry, fromBlock: 5 }])).toThrow(/block 0/);
  });

  it('refuses entries that do not ascend', () => {
    expect(() => validateSchedule(withEntry({ fromBlock: 0 }))).toThrow(/does not ascend/);
  });

  it('refuses reward shares that do not sum to 1', () => {
    const half = { ...competition, rewardShare: 0.5 };
    expect(() => validateSchedule(withEntry({ competitions: [half] }))).toThrow(/sum to 0.5/);
    expect(() => validateSchedule(withEntry({ competitions: [] }))).toThrow(/empty/);
  });

  it('refuses repeated competition ids and bad eval task weights', () => {
    const a = { ...competition, rewardShare: 0.5 };
    expect(() => validateSchedule(withEntry({ competitions: [a, a] }))).toThrow(/repeats/);
    const badTasks = { ...competition, evalTasks: [{ id: 't', dataset: 'falcon' as const, weight: 2 }] };
    expect(() => validateSchedule(withEntry({ competitions: [badTasks] }))).toThrow(/outside/);
  });

  it('refuses non-positive limits', () => {
    const bad = { ...competition, constraints: { ...competition.constraints, sequenceLength: 0 } };
    expect(() => validateSchedule(withEntry({ competitions: [bad] }))).toThrow(/size limit/);
  });
});
