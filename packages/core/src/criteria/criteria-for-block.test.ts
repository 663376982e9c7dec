import { describe, expect, it } from 'vitest';
import { UsageError } from '@pretrain/backend-sdk';
import type { CompetitionSchedule } from './competition.js';
import { COMPETITION_SCHEDULE } from './competition-schedule.js';
import { competitionsForBlock, criteriaForBlock, findCompetition } from './criteria-for-block.js';

const GIB = 1024 ** 3;

describe('criteriaForBlock on the docs/SUBNET.md §4 table', () => {
  it.each([
    [0, 1024, false, 5 * GIB, 186_000_000, 'distilgpt2', 'falcon'],
    [2_405_919, 1024, false, 5 * GIB, 186_000_000, 'distilgpt2', 'falcon'],
    [2_405_920, 1024, false, 5 * GIB, 772_000_000, 'distilgpt2', 'falcon'],
    [2_786_060, 1024, false, 5 * GIB, 772_000_000, 'distilgpt2', 'falcon'],
    [2_786_061, 4096, true, 15 * GIB, 6_900_000_000, 'Xenova/gpt-4', 'falcon'],
    [3_256_603, 4096, true, 15 * GIB, 6_900_000_000, 'Xenova/gpt-4', 'falcon'],
    [3_256_604, 4096, true, 15 * GIB, 6_900_000_000, 'Xenova/gpt-4', 'fineweb-edu2'],
    [Infinity, 4096, true, 15 * GIB, 6_900_000_000, 'Xenova/gpt-4', 'fineweb-edu2'],
  ])('block %s', (block, sequenceLength, bf16, maxBytes, maxParameters, tokenizer, dataset) => {
    expect(criteriaForBlock(block)).toMatchObject({
      sequenceLength,
      bf16,
      maxBytes,
      maxParameters,
      tokenizer,
      dataset,
      batchSize: 1,
    });
  });

  it('switches the allowed architectures at block 2,786,061', () => {
    const before = criteriaForBlock(2_786_060).allowedArchitectures;
    const after = criteriaForBlock(2_786_061).allowedArchitectures;
    expect(before).toContain('GPT2LMHeadModel');
    expect(before).toContain('GPTJForCausalLM');
    expect(before).not.toContain('PhiForCausalLM');
    expect(after).not.toContain('GPT2LMHeadModel');
    expect(after).toEqual(expect.arrayContaining(['PhiForCausalLM', 'GemmaForCausalLM', 'LlamaForCausalLM']));
    expect(before).toHaveLength(7);
    expect(after).toHaveLength(7);
  });

  it('puts every model of a single-competition range in it, whatever its competition id', () => {
    // Schema 2.2.2 ignores a fifth commitment field; later versions write e.g. `:0`.
    for (const id of ['0', 'pretrain', '9', '__proto__']) {
      expect(findCompetition(3_300_000, id)).toBe(COMPETITION_SCHEDULE[3]!.competitions[0]);
      expect(criteriaForBlock(3_300_000, COMPETITION_SCHEDULE, id)).toEqual(criteriaForBlock(3_300_000));
    }
  });

  it('refuses a NaN or negative block', () => {
    expect(() => criteriaForBlock(Number.NaN)).toThrow(UsageError);
    expect(() => criteriaForBlock(-1)).toThrow(/no competition is scheduled at block -1/);
  });
});

describe('a multi-competition schedule as data', () => {
  const base = COMPETITION_SCHEDULE[3]!.competitions[0]!.constraints;
  const schedule: CompetitionSchedule = [
    ...COMPETITION_SCHEDULE,
    {
      fromBlock: 4_000_000,
      competitions: [
        {
          id: '1',
          rewardShare: 0.35,
          constraints: { ...base, maxParameters: 772_000_000 },
          evalTasks: [{ id: 'fw', dataset: 'fineweb-edu2', weight: 1 }],
        },
        {
          id: '2',
          rewardShare: 0.65,
          constraints: base,
          evalTasks: [
            { id: 'falcon', dataset: 'falcon', weight: 0.5 },
            { id: 'fw', dataset: 'fineweb-edu2', weight: 0.5 },
          ],
        },
      ],
    },
  ];

  it('lists every competition of the range and picks one by id', () => {
    expect(competitionsForBlock(4_000_001, schedule).map((c) => c.id)).toEqual(['1', '2']);
    expect(criteriaForBlock(4_000_001, schedule, '1').maxParameters).toBe(772_000_000);
    expect(criteriaForBlock(4_000_001, schedule, '2').dataset).toBe('falcon');
    expect(criteriaForBlock(4_000_001, schedule).maxParameters).toBe(772_000_000);
    expect(criteriaForBlock(3_999_999, schedule).dataset).toBe('fineweb-edu2');
  });

  it('gives undefined for an unknown competition, and criteriaForBlock throws with the known ids', () => {
    expect(findCompetition(4_000_001, '9', schedule)).toBeUndefined();
    expect(() => criteriaForBlock(4_000_001, schedule, '9')).toThrow(UsageError);
  });
});

describe('COMPETITION_SCHEDULE', () => {
  it('is frozen all the way down', () => {
    const competition = COMPETITION_SCHEDULE[0]!.competitions[0]!;
    expect(Object.isFrozen(competition.constraints)).toBe(true);
    expect(Object.isFrozen(competition.constraints.allowedArchitectures)).toBe(true);
    expect(Object.isFrozen(competition.evalTasks[0])).toBe(true);
  });
});
