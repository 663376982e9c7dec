import { describe, expect, it } from 'vitest';
import type { CompetitionSchedule, ScheduleEntry } from './competition.js';
import { COMPETITION_SCHEDULE } from './competition-schedule.js';
import { criteriaForBlock, findCompetition } from './criteria-for-block.js';
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

  it('refuses dataset and tokenizer names no code knows, and empty architecture lists', () => {
    const withConstraints = (patch: object) => ({
      ...competition,
      constraints: { ...competition.constraints, ...patch },
    });
    const unknownDataset = { ...competition, evalTasks: [{ id: 't', dataset: 'c4' as 'falcon', weight: 1 }] };
    expect(() => validateSchedule(withEntry({ competitions: [unknownDataset] }))).toThrow(/dataset 'c4'/);
    const unknownTokenizer = withConstraints({ tokenizer: 'llama' });
    expect(() => validateSchedule(withEntry({ competitions: [unknownTokenizer] }))).toThrow(
      /tokenizer 'llama'/,
    );
    const noArchitecture = withConstraints({ allowedArchitectures: [] });
    expect(() => validateSchedule(withEntry({ competitions: [noArchitecture] }))).toThrow(/no architecture/);
  });
});

describe('a later subnet version as data', () => {
  // Written as a config file would hold it: no code of this package describes it.
  const json = `[
    { "fromBlock": 0, "competitions": [
      { "id": "pretrain", "rewardShare": 1,
        "constraints": { "sequenceLength": 1024, "batchSize": 1, "maxBytes": 5368709120,
          "maxParameters": 186000000, "tokenizer": "distilgpt2",
          "allowedArchitectures": ["GPT2LMHeadModel"], "bf16": false },
        "evalTasks": [{ "id": "falcon-loss", "dataset": "falcon", "weight": 1 }] } ] },
    { "fromBlock": 5000000, "competitions": [
      { "id": "B7", "rewardShare": 0.65,
        "constraints": { "sequenceLength": 4096, "batchSize": 1, "maxBytes": 16106127360,
          "maxParameters": 6900000000, "tokenizer": "Xenova/gpt-4",
          "allowedArchitectures": ["LlamaForCausalLM"], "bf16": true },
        "evalTasks": [
          { "id": "fineweb", "dataset": "fineweb-edu2", "weight": 0.75 },
          { "id": "falcon", "dataset": "falcon", "weight": 0.25 } ] },
      { "id": "M772", "rewardShare": 0.35,
        "constraints": { "sequenceLength": 1024, "batchSize": 4, "maxBytes": 5368709120,
          "maxParameters": 772000000, "tokenizer": "distilgpt2",
          "allowedArchitectures": ["GPT2LMHeadModel", "LlamaForCausalLM"], "bf16": false },
        "evalTasks": [{ "id": "falcon", "dataset": "falcon", "weight": 1 }] } ] }
  ]`;
  const schedule = JSON.parse(json) as CompetitionSchedule;

  it('validates and answers per block and competition id', () => {
    expect(() => validateSchedule(schedule)).not.toThrow();
    expect(criteriaForBlock(4_999_999, schedule).maxParameters).toBe(186_000_000);
    expect(criteriaForBlock(5_000_000, schedule)).toMatchObject({
      tokenizer: 'Xenova/gpt-4',
      dataset: 'fineweb-edu2',
    });
    expect(criteriaForBlock(5_000_000, schedule, 'M772')).toMatchObject({ batchSize: 4, dataset: 'falcon' });
    expect(findCompetition(5_000_000, 'B7', schedule)?.evalTasks.map((t) => t.weight)).toEqual([0.75, 0.25]);
    expect(findCompetition(5_000_000, 'M772', schedule)?.rewardShare).toBe(0.35);
    expect(findCompetition(5_000_000, 'pretrain', schedule)).toBeUndefined();
    // A range with a single competition takes every model, whatever its fifth field says.
    expect(findCompetition(4_999_999, 'M772', schedule)?.id).toBe('pretrain');
  });
});
