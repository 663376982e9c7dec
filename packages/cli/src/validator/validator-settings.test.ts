import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDATOR_OPTIONS, UsageError } from '@pretrain/core';
import { CONFIG_SCHEMA, type PretrainConfig } from '../config/index.js';
import type { ValidateArgs } from './validate-options.js';
import { validatorSettings } from './validator-settings.js';

const config = Object.fromEntries(
  Object.entries(CONFIG_SCHEMA).map(([k, spec]) => [k, spec.default]),
) as unknown as PretrainConfig;
const args: ValidateArgs = { offline: false, dontSetWeights: false, modelStore: 'hf', seedFromChain: false };

describe('validate settings', () => {
  it('defaults to the reference numbers and keeps state under the model dir', () => {
    const settings = validatorSettings(args, config, '/work');
    expect(settings).toMatchObject({
      netuid: 9,
      versionKey: 2022,
      pagesPerEval: 18,
      sampleMin: 6,
      sampleMax: 14,
      blocksPerEpoch: 50,
      evalTimeoutMs: 360_000,
      loadTimeoutMs: 1_200_000,
      chainUpdateCadenceMs: DEFAULT_VALIDATOR_OPTIONS.chainUpdateCadenceMs,
      statePath: '/work/.pretrain/validator/validator-state.json',
    });
  });

  it('takes the flags', () => {
    const settings = validatorSettings(
      {
        ...args,
        pagesPerEval: 2,
        sampleMin: 1,
        sampleMax: 3,
        blocksPerEpoch: 5,
        evalTimeout: 30,
        loadTimeout: 90,
        modelDir: 'm',
        offline: true,
      },
      config,
      '/work',
    );
    expect(settings).toMatchObject({
      pagesPerEval: 2,
      sampleMin: 1,
      sampleMax: 3,
      blocksPerEpoch: 5,
      evalTimeoutMs: 30_000,
      loadTimeoutMs: 90_000,
      offline: true,
    });
    expect(settings.statePath).toBe('/work/m/validator-state.json');
  });

  it('refuses non-positive numbers and sample-max below sample-min', () => {
    expect(() => validatorSettings({ ...args, pagesPerEval: 0 }, config, '/w')).toThrow(/--pages-per-eval 0/);
    expect(() => validatorSettings({ ...args, evalTimeout: 1.5 }, config, '/w')).toThrow(UsageError);
    expect(() => validatorSettings({ ...args, loadTimeout: 0 }, config, '/w')).toThrow(/--load-timeout 0/);
    expect(() => validatorSettings({ ...args, sampleMin: 8, sampleMax: 4 }, config, '/w')).toThrow(
      /below --sample-min/,
    );
  });
});
