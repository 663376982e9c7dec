import { DEFAULT_VALIDATOR_OPTIONS, UsageError, type ValidatorOptions } from '@pretrain/core';

/** The {@link ValidatorOptions} members that `pretrain validate` takes as cadence flags. */
export type CadenceKey =
  | 'chainUpdateCadenceMs'
  | 'topMinerIntervalMs'
  | 'topMinerResyncMs'
  | 'stepTimeoutMs'
  | 'metagraphTimeoutMs'
  | 'weightsPollMs'
  | 'idleMs'
  | 'cleanIntervalMs'
  | 'cleanFirstDelayMs'
  | 'cleanGraceMs';

/**
 * The longest wait Node.js timers honour: a longer `setTimeout` fires after 1 ms instead,
 * which would turn e.g. a huge `--clean-first-delay` into an immediate clean.
 */
export const MAX_CADENCE_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

const d = DEFAULT_VALIDATOR_OPTIONS;

/** `1200` → `1200 = 20 min`: the help shows seconds, which is what the flag takes. */
function defaultText(ms: number): string {
  const s = ms / 1000;
  if (ms % 3_600_000 === 0) return `default ${s} = ${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `default ${s} = ${ms / 60_000} min`;
  return `default ${s}`;
}

function cadence(describe: string, defaultMs: number) {
  return { type: 'number', requiresArg: true, describe: `${describe} (${defaultText(defaultMs)})` } as const;
}

/** The cadence flags of `pretrain validate`, each a number of seconds (docs/SUBNET.md §7). */
export const CADENCE_OPTIONS = {
  'chain-update-cadence': cadence(
    'seconds between two reads of one uid’s commitment',
    d.chainUpdateCadenceMs,
  ),
  'top-miner-interval': cadence('seconds between searches for top miners', d.topMinerIntervalMs),
  'top-miner-resync': cadence('seconds between two forced resyncs of one top miner', d.topMinerResyncMs),
  'step-timeout': cadence(
    'seconds after which a running eval step is reported as overrunning (it still completes and counts)',
    d.stepTimeoutMs,
  ),
  'metagraph-timeout': cadence('seconds allowed for the metagraph sync after a step', d.metagraphTimeoutMs),
  'weights-poll': cadence('seconds between block-number reads of the weights loop', d.weightsPollMs),
  'idle-wait': cadence('seconds to wait when there is nothing to do or an update failed', d.idleMs),
  'clean-interval': cadence('seconds between passes of the model-directory clean loop', d.cleanIntervalMs),
  'clean-first-delay': cadence('seconds from start to the first clean pass', d.cleanFirstDelayMs),
  'clean-grace': cadence('seconds a model directory must sit untouched before deletion', d.cleanGraceMs),
} as const;

/** The parsed cadence flags (seconds), `undefined` when not given. */
export interface CadenceArgs {
  readonly chainUpdateCadence?: number | undefined;
  readonly topMinerInterval?: number | undefined;
  readonly topMinerResync?: number | undefined;
  readonly stepTimeout?: number | undefined;
  readonly metagraphTimeout?: number | undefined;
  readonly weightsPoll?: number | undefined;
  readonly idleWait?: number | undefined;
  readonly cleanInterval?: number | undefined;
  readonly cleanFirstDelay?: number | undefined;
  readonly cleanGrace?: number | undefined;
}

/**
 * `value` of `--<flag>` (seconds) checked and turned into milliseconds; `defaultMs` when absent.
 * Fractions are allowed (down to 1 ms) so demos and tests can run fast cadences.
 */
export function secondsFlag(flag: string, value: unknown, defaultMs: number): number {
  if (value === undefined) return defaultMs;
  const hint = `give a number of seconds, e.g. --${flag} ${defaultMs / 1000} (the default)`;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    const got = Array.isArray(value) ? `${value.length} values` : 'a non-number';
    throw new UsageError(`--${flag} needs one number of seconds, got ${got}`, { hint });
  }
  if (!(value >= 0.001)) {
    throw new UsageError(`--${flag} ${value} must be a positive number of seconds (at least 0.001)`, {
      hint,
    });
  }
  if (value > MAX_CADENCE_SECONDS) {
    throw new UsageError(`--${flag} ${value} is over ${MAX_CADENCE_SECONDS} seconds (about 24.8 days)`, {
      hint: `Node.js timers cannot wait longer; ${hint}`,
    });
  }
  return Math.round(value * 1000);
}

/** The cadence flags as {@link ValidatorOptions} members; absent flags keep the reference cadences. */
export function cadenceSettings(args: CadenceArgs): Pick<ValidatorOptions, CadenceKey> {
  return {
    chainUpdateCadenceMs: secondsFlag(
      'chain-update-cadence',
      args.chainUpdateCadence,
      d.chainUpdateCadenceMs,
    ),
    topMinerIntervalMs: secondsFlag('top-miner-interval', args.topMinerInterval, d.topMinerIntervalMs),
    topMinerResyncMs: secondsFlag('top-miner-resync', args.topMinerResync, d.topMinerResyncMs),
    stepTimeoutMs: secondsFlag('step-timeout', args.stepTimeout, d.stepTimeoutMs),
    metagraphTimeoutMs: secondsFlag('metagraph-timeout', args.metagraphTimeout, d.metagraphTimeoutMs),
    weightsPollMs: secondsFlag('weights-poll', args.weightsPoll, d.weightsPollMs),
    idleMs: secondsFlag('idle-wait', args.idleWait, d.idleMs),
    cleanIntervalMs: secondsFlag('clean-interval', args.cleanInterval, d.cleanIntervalMs),
    cleanFirstDelayMs: secondsFlag('clean-first-delay', args.cleanFirstDelay, d.cleanFirstDelayMs),
    cleanGraceMs: secondsFlag('clean-grace', args.cleanGrace, d.cleanGraceMs),
  };
}
