import { resolve } from 'node:path';
import {
  DEFAULT_VALIDATOR_OPTIONS,
  SUBNET9_CONSTANTS,
  UsageError,
  type ValidatorOptions,
} from '@pretrain/core';
import type { PretrainConfig } from '../config/index.js';
import { cadenceSettings } from './cadence-options.js';
import type { ValidateArgs } from './validate-options.js';

/** `value` of `--<flag>` checked to be a positive integer; `fallback` when absent. */
export function positiveFlag(flag: string, value: number | undefined, fallback: number): number;
export function positiveFlag(flag: string, value: number | undefined, fallback?: number): number | undefined;
export function positiveFlag(flag: string, value: number | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${flag} ${value} must be a positive integer`, {
      hint: fallback === undefined ? `leave --${flag} out for no limit` : `the default is ${fallback}`,
    });
  }
  return value;
}

/** Where the validator keeps models and its state. */
export function validatorModelDir(args: ValidateArgs, config: PretrainConfig, cwd: string): string {
  return args.modelDir === undefined
    ? resolve(cwd, config.dataDir, 'validator')
    : resolve(cwd, args.modelDir);
}

/** Turn flags and config into validated {@link ValidatorOptions} (rejecting bad numbers). */
export function validatorSettings(args: ValidateArgs, config: PretrainConfig, cwd: string): ValidatorOptions {
  const d = DEFAULT_VALIDATOR_OPTIONS;
  const sampleMin = positiveFlag('sample-min', args.sampleMin, d.sampleMin);
  const sampleMax = positiveFlag('sample-max', args.sampleMax, d.sampleMax);
  if (sampleMax < sampleMin) {
    throw new UsageError(`--sample-max ${sampleMax} is below --sample-min ${sampleMin}`, {
      hint: 'sample-max bounds kept plus pending uids, so it must be at least sample-min',
    });
  }
  return {
    ...d,
    netuid: config.netuid,
    versionKey: SUBNET9_CONSTANTS.versionKey,
    statePath: resolve(validatorModelDir(args, config, cwd), 'validator-state.json'),
    offline: args.offline,
    dontSetWeights: args.dontSetWeights,
    pagesPerEval: positiveFlag('pages-per-eval', args.pagesPerEval, d.pagesPerEval),
    sampleMin,
    sampleMax,
    blocksPerEpoch: positiveFlag('blocks-per-epoch', args.blocksPerEpoch, d.blocksPerEpoch),
    seedFromChain: args.seedFromChain,
    evalTimeoutMs: positiveFlag('eval-timeout', args.evalTimeout, d.evalTimeoutMs / 1000) * 1000,
    loadTimeoutMs: positiveFlag('load-timeout', args.loadTimeout, d.loadTimeoutMs / 1000) * 1000,
    lookAhead: args.lookAhead ?? true,
    ...cadenceSettings(args),
  };
}
