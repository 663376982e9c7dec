import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { criteriaForBlock, type ModelCriteria } from '../criteria/index.js';
import { ModelRejectedError } from '@pretrain/backend-sdk';
import { checkModelCriteria } from './check-model-criteria.js';

const GPT2 = fileURLToPath(new URL('../../../../test/fixtures/models/gpt2-tied-f32', import.meta.url));
const BLOCK0 = criteriaForBlock(0);

async function rejection(criteria: ModelCriteria): Promise<ModelRejectedError> {
  const error = await checkModelCriteria(GPT2, criteria).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelRejectedError);
  return error as ModelRejectedError;
}

describe('checkModelCriteria', () => {
  it('accepts a small GPT-2 under the first criteria and reports its size', async () => {
    const { spec, bytes } = await checkModelCriteria(GPT2, BLOCK0);
    expect(spec.architecture).toBe('GPT2LMHeadModel');
    expect(bytes).toBeGreaterThan(spec.parameterCount * 4 - 1);
  });

  it('refuses an architecture the criteria do not allow (GPT-2 after block 2,786,061)', async () => {
    const error = await rejection(criteriaForBlock(2_786_061));
    expect(error.reason).toBe('unsupported-architecture');
    expect(error.hint).toContain('LlamaForCausalLM');
  });

  it('refuses a repo over the byte limit before reading the weights', async () => {
    const error = await rejection({ ...BLOCK0, maxBytes: 1000 });
    expect(error.reason).toBe('oversize');
    expect(error.message).toContain('1000');
  });

  it('refuses more parameters than allowed', async () => {
    const error = await rejection({ ...BLOCK0, maxParameters: 10 });
    expect(error.reason).toBe('too-many-parameters');
  });
});
