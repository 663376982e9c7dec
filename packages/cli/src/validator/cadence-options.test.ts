import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { DEFAULT_VALIDATOR_OPTIONS, UsageError } from '@pretrain/core';
import { CONFIG_SCHEMA, type PretrainConfig } from '../config/index.js';
import { cadenceSettings, MAX_CADENCE_SECONDS, secondsFlag } from './cadence-options.js';
import { VALIDATE_OPTIONS, type ValidateArgs } from './validate-options.js';
import { validatorSettings } from './validator-settings.js';

const config = Object.fromEntries(
  Object.entries(CONFIG_SCHEMA).map(([k, spec]) => [k, spec.default]),
) as unknown as PretrainConfig;

/** Parse `pretrain validate` flags with the real option table (strict, as `main` does). */
function parseValidate(argv: string[]): ValidateArgs {
  return yargs(argv).options(VALIDATE_OPTIONS).strict().exitProcess(false).parseSync() as ValidateArgs;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('validate cadence flags', () => {
  it('default to the reference cadences of docs/SUBNET.md §7', () => {
    // Written out from the spec rather than read back from DEFAULT_VALIDATOR_OPTIONS.
    expect(cadenceSettings({})).toEqual({
      chainUpdateCadenceMs: 20 * MIN,
      topMinerIntervalMs: 20 * MIN,
      topMinerResyncMs: 4 * HOUR,
      stepTimeoutMs: 20 * MIN,
      metagraphTimeoutMs: 60_000,
      weightsPollMs: 12_000,
      idleMs: 30_000,
      cleanIntervalMs: 5 * MIN,
      cleanFirstDelayMs: HOUR,
      cleanGraceMs: 5 * MIN,
    });
    const settings = validatorSettings(parseValidate([]), config, '/w');
    expect(settings).toMatchObject(cadenceSettings({}));
  });

  it('cover every timing option of the validator but the per-model --eval-timeout and --load-timeout', () => {
    const timings = Object.keys(DEFAULT_VALIDATOR_OPTIONS).filter(
      (key) => key.endsWith('Ms') && key !== 'evalTimeoutMs' && key !== 'loadTimeoutMs',
    );
    expect(Object.keys(cadenceSettings({})).sort()).toEqual(timings.sort());
  });

  it('reach the validator options in milliseconds, through the real parser', () => {
    const args = parseValidate([
      '--chain-update-cadence=600',
      '--top-miner-interval=900',
      '--top-miner-resync=7200',
      '--step-timeout=1800',
      '--metagraph-timeout=90',
      '--weights-poll=6',
      '--idle-wait=0.5',
      '--clean-interval=120',
      '--clean-first-delay=1800',
      '--clean-grace=600',
    ]);
    expect(validatorSettings(args, config, '/w')).toMatchObject({
      chainUpdateCadenceMs: 600_000,
      topMinerIntervalMs: 900_000,
      topMinerResyncMs: 7_200_000,
      stepTimeoutMs: 1_800_000,
      metagraphTimeoutMs: 90_000,
      weightsPollMs: 6_000,
      idleMs: 500,
      cleanIntervalMs: 120_000,
      cleanFirstDelayMs: 1_800_000,
      cleanGraceMs: 600_000,
      // Untouched options keep their defaults.
      evalTimeoutMs: 360_000,
      loadTimeoutMs: 1_200_000,
      blocksPerEpoch: 50,
    });
  });

  it('load the next model ahead unless --no-look-ahead', () => {
    expect(validatorSettings(parseValidate([]), config, '/w').lookAhead).toBe(true);
    expect(validatorSettings(parseValidate(['--no-look-ahead']), config, '/w').lookAhead).toBe(false);
  });

  it('change only the flags given', () => {
    const settings = validatorSettings(parseValidate(['--clean-interval', '60']), config, '/w');
    expect(settings).toMatchObject({ ...cadenceSettings({}), cleanIntervalMs: 60_000 });
  });

  it.each([
    [0, /--clean-grace 0 must be a positive number of seconds/],
    [-5, /--clean-grace -5 must be a positive number of seconds/],
    [0.0001, /at least 0\.001/],
    [NaN, /--clean-grace needs one number of seconds, got a non-number/],
    [[1, 2], /--clean-grace needs one number of seconds, got 2 values/],
    [Infinity, /--clean-grace Infinity is over 2147483 seconds/],
    [MAX_CADENCE_SECONDS + 1, /is over 2147483 seconds/],
  ])('refuse %j with a UsageError and a hint', (value, message) => {
    let thrown: unknown;
    try {
      secondsFlag('clean-grace', value, 300_000);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toMatch(message);
    expect((thrown as UsageError).hint).toMatch(/--clean-grace 300 \(the default\)/);
  });

  it('accept the longest wait a Node.js timer honours', () => {
    expect(secondsFlag('clean-first-delay', MAX_CADENCE_SECONDS, 1)).toBe(MAX_CADENCE_SECONDS * 1000);
    expect(MAX_CADENCE_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('reject a bad value given through the parser', () => {
    expect(() => validatorSettings(parseValidate(['--step-timeout', 'soon']), config, '/w')).toThrow(
      /--step-timeout needs one number of seconds/,
    );
  });
});
