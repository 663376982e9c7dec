import type { LogFields, Logger } from '@pretrain/core';
import type { OutputStream } from '../cli-io.js';
import { escapeControl } from '../output/escape-control.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Where lines go (the CLI passes stderr). */
  readonly stream: OutputStream;
  /** Aligned lines for people, or one JSON object per line for machines. */
  readonly format: 'pretty' | 'json';
  /** Print `debug` lines too. */
  readonly verbose: boolean;
  /** Clock for timestamps (tests pin it). */
  readonly now?: () => Date;
}

// Field names whose values are secrets: a last line of defence, callers should not log them at all.
const SECRET_FIELD = /token|password|secret|mnemonic|seed|private/i;

/**
 * The CLI's logger: one line per event on `stream` (stderr, so stdout stays for results),
 * either human-readable or one JSON object per line for log collectors.
 */
export function createLogger(options: CreateLoggerOptions, bound: LogFields = {}): Logger {
  const now = options.now ?? (() => new Date());
  const emit = (level: Level, message: string, fields: LogFields = {}): void => {
    if (level === 'debug' && !options.verbose) return;
    const all = redact({ ...bound, ...fields });
    const time = now().toISOString();
    if (options.format === 'json') {
      options.stream.write(
        `${escapeControl(JSON.stringify({ time, level, msg: message, ...all }), 'json')}\n`,
      );
      return;
    }
    const extra = Object.entries(all)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    // Messages and values quote chain, hub and model text: escaped, one event is one line.
    options.stream.write(
      `${time.slice(11, 19)} ${level.padEnd(5)} ${escapeControl(message)}${extra ? ` ${escapeControl(extra)}` : ''}\n`,
    );
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

function redact(fields: LogFields): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, SECRET_FIELD.test(key) ? '***' : value]),
  );
}
