import {
  CorruptModelError,
  ModelRejectedError,
  TimeoutError,
  UnsupportedModelError,
  type RejectionReason,
} from '@pretrain/backend-sdk';

/**
 * The rejection label for an error thrown while fetching, opening or evaluating a
 * competitor's model; anything unrecognised is `fallback`.
 */
export function rejectionReasonOf(error: unknown, fallback: RejectionReason): RejectionReason {
  if (error instanceof ModelRejectedError) return error.reason;
  if (error instanceof UnsupportedModelError) return 'unsupported-architecture';
  if (error instanceof CorruptModelError) return 'corrupt';
  if (error instanceof TimeoutError) return 'eval-timeout';
  return fallback;
}

/**
 * Refusals about *reaching* a commitment's files (network, hub errors, a commit the hub
 * does not serve yet, timeouts) rather than about the files themselves. A commitment
 * pins an immutable commit, so every other verdict holds until the commitment changes;
 * these may clear up and are retried at the next cadence (docs/SUBNET.md §7).
 */
const TRANSIENT_REASONS: ReadonlySet<RejectionReason> = new Set<RejectionReason>([
  'download-failed',
  'missing-commit',
  'eval-failed',
  'eval-timeout',
]);

/** Whether a refusal for `reason` may clear up by itself (see {@link TRANSIENT_REASONS}). */
export function isTransientRejection(reason: RejectionReason): boolean {
  return TRANSIENT_REASONS.has(reason);
}

/** Errors of this machine, not of the files being read (a hostile repo can cause `EISDIR`, not these). */
const MACHINE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ENOSPC',
  'EDQUOT',
  'EMFILE',
  'ENFILE',
  'EIO',
  'ENOMEM',
  'EAGAIN',
  'EBUSY',
]);

/**
 * Whether `error` is a failure of this machine (disk full, too many open files, I/O
 * error) rather than a verdict on the bytes being read: it says nothing about the model.
 */
export function isMachineError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && MACHINE_ERROR_CODES.has(code);
}

/** The message of any thrown value, for log lines. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
