import {
  CorruptModelError,
  ModelRejectedError,
  TimeoutError,
  UnsupportedModelError,
  type RejectionReason,
} from '../errors/index.js';

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

/** The message of any thrown value, for log lines. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
