import { isPretrainError, type Logger } from '@pretrain/core';
import type { OutputStream } from '../cli-io.js';
import { escapeControl, oneLine } from '../output/escape-control.js';
import { hintFor } from './default-hints.js';

/** Exit code of a check that failed: a conformance case, a model a validator check rejected. */
export const EXIT_CHECK_FAILED = 1;
/** Exit code of bad input and of every failure the code anticipated (a `PretrainError`). */
export const EXIT_USAGE = 2;
/** Exit code of an unexpected error (a bug, or a failure nobody translated yet). */
export const EXIT_UNEXPECTED = 3;

/**
 * Print `error` for a person and return the exit code: `error: <message>` and
 * `hint: <hint>` (its own, else its code's default) for a `PretrainError` (exit 2; exit 1
 * for a {@link ModelRejectedError}: a check failed), a short message and a request to
 * report it for anything else (exit 3). Stack traces and causes only with `verbose`.
 */
export function reportError(error: unknown, stderr: OutputStream, verbose: boolean): number {
  if (isPretrainError(error)) {
    stderr.write(`error: ${oneLine(error.message)}\n`);
    const tried = (error as { tried?: unknown }).tried;
    if (Array.isArray(tried)) {
      for (const entry of tried as { specifier: string; reason: string }[]) {
        stderr.write(`  tried ${entry.specifier}: ${oneLine(entry.reason)}\n`);
      }
    }
    stderr.write(`hint: ${oneLine(hintFor(error))}\n`);
    if (verbose) writeStack(error, stderr);
    return error.code === 'PRETRAIN_MODEL_REJECTED' ? EXIT_CHECK_FAILED : EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`error: unexpected failure: ${oneLine(message)}\n`);
  if (verbose) writeStack(error, stderr);
  else
    stderr.write('hint: this is a bug in pretrain: rerun with --verbose for the stack trace and report it\n');
  return EXIT_UNEXPECTED;
}

/**
 * {@link reportError} for `--log-format json`: the same verdict and exit code, as one
 * `error` log line with `code` and `hint` fields (and `stack` with `verbose`), so that
 * a failed run's stderr stays valid JSON lines.
 */
export function reportErrorAsLog(error: unknown, logger: Logger, verbose: boolean): number {
  const stack = verbose && error instanceof Error ? { stack: error.stack ?? error.message } : {};
  if (isPretrainError(error)) {
    const tried = (error as { tried?: unknown }).tried;
    logger.error(error.message, {
      code: error.code,
      hint: hintFor(error),
      ...(Array.isArray(tried) ? { tried } : {}),
      ...stack,
    });
    return error.code === 'PRETRAIN_MODEL_REJECTED' ? EXIT_CHECK_FAILED : EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  logger.error(`unexpected failure: ${message}`, {
    code: 'UNEXPECTED',
    hint: verbose
      ? 'this is a bug in pretrain: report it'
      : 'this is a bug in pretrain: rerun with --verbose for the stack trace and report it',
    ...stack,
  });
  return EXIT_UNEXPECTED;
}

function writeStack(error: unknown, stderr: OutputStream): void {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const stack = current instanceof Error ? (current.stack ?? current.message) : String(current);
    // Stacks keep their line breaks; the message inside them may quote hostile text.
    stderr.write(
      `${depth === 0 ? '' : 'caused by: '}${stack
        .split('\n')
        .map((line) => escapeControl(line))
        .join('\n')}\n`,
    );
    current = current instanceof Error ? current.cause : undefined;
  }
}
