/** Options shared by every {@link PretrainError}. */
export interface PretrainErrorOptions {
  /** What the user can do about it, printed under the message. */
  hint?: string;
  /** The underlying error, kept for `--verbose`. */
  cause?: unknown;
}

/**
 * Base of every error this project raises on purpose.
 *
 * `code` is stable and machine-readable (`PRETRAIN_*`); `message` quotes the input and
 * says what was expected; `hint` says what to do. The CLI prints message + hint on one
 * screen line each and exits 2, without a stack trace unless `--verbose`.
 */
export class PretrainError extends Error {
  /** Stable identifier of the failure, e.g. `PRETRAIN_BACKEND_NOT_FOUND`. */
  readonly code: string;
  /** What to do about it, or undefined when the message says it all. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: PretrainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** True when `error` is a {@link PretrainError}, also across duplicated module copies. */
export function isPretrainError(error: unknown): error is PretrainError {
  return (
    error instanceof PretrainError ||
    (error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && 'hint' in error)
  );
}
