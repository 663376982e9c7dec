import { format } from 'node:util';
import type { EventEmitter } from 'node:events';
import type { Logger } from '@pretrain/core';

/** The console methods dependencies call; each is replaced while the bridge is installed. */
const METHODS = ['log', 'info', 'debug', 'trace', 'warn', 'error'] as const;
type Method = (typeof METHODS)[number];
type Level = 'debug' | 'info' | 'warn' | 'error';

/** Options of {@link bridgeConsole}. */
export interface ConsoleBridgeOptions {
  /** Where every console line goes instead. */
  readonly logger: Logger;
  /** The console to take over (`globalThis.console` in the CLI; a plain object in tests). */
  readonly console: Pick<Console, Method>;
  /**
   * The process whose `warning` events Node would otherwise print raw to stderr;
   * its listeners are restored when the bridge is removed.
   */
  readonly warnings?: Pick<EventEmitter, 'listeners' | 'removeAllListeners' | 'on' | 'off'>;
  /** A repeat of the same line within this many ms is counted, not logged (default 30 s). */
  readonly repeatWindowMs?: number;
  /** Clock (tests pin it). */
  readonly now?: () => number;
}

// @polkadot/util's logger writes `console.x('2026-12-06 14:02:14', '       RPC-CORE:', ...)`.
const POLKADOT_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const POLKADOT_ORIGIN = /^\s*([A-Za-z0-9_-]+):$/;
// A dependency's error objects can quote whole requests; one event stays one readable line.
const MAX_MESSAGE = 2000;
const MAX_TRACKED = 500;

/**
 * Route what dependencies write with `console.*` (polkadot-js's `RPC-CORE:` and `API-WS:`
 * lines, tfjs banners, any library's stray `console.log`) and Node's process warnings
 * through our logger, so that stderr holds only our lines (valid JSON lines under
 * `--log-format json`) and stdout only results. Each line carries its `origin`.
 *
 * A dependency's `error` is logged as a `warn`: a chain client that cannot reach its node
 * says so on every request, while the failure that matters is reported by our own code.
 * A line repeated within the window is counted and its count logged with the next one.
 * Returns the function that puts the console back.
 */
export function bridgeConsole(options: ConsoleBridgeOptions): () => void {
  const { logger, console: target } = options;
  const now = options.now ?? Date.now;
  const windowMs = options.repeatWindowMs ?? 30_000;
  const seen = new Map<string, { at: number; repeats: number }>();
  const emit = (method: Method, args: unknown[]): void => {
    const { origin, message } = describe(args);
    const key = `${origin}\u0000${message}`;
    const last = seen.get(key);
    const time = now();
    if (last !== undefined && time - last.at < windowMs) {
      last.repeats += 1;
      return;
    }
    if (seen.size >= MAX_TRACKED) seen.clear();
    seen.set(key, { at: time, repeats: 0 });
    const level = levelOf(method, origin);
    const fields = last?.repeats ? { origin, repeatedBefore: last.repeats } : { origin };
    logger[level](message, fields);
  };
  const saved = new Map<Method, Console[Method]>();
  for (const method of METHODS) {
    saved.set(method, target[method]);
    target[method] = (...args: unknown[]) => emit(method, args);
  }
  const warnings = options.warnings;
  const savedListeners = warnings ? (warnings.listeners('warning') as ((w: Error) => void)[]) : [];
  const onWarning = (warning: Error) => {
    logger.warn(warning.message, { origin: 'node', warning: warning.name });
  };
  if (warnings) {
    warnings.removeAllListeners('warning');
    warnings.on('warning', onWarning);
  }
  return () => {
    for (const [method, original] of saved) target[method] = original as never;
    if (warnings) {
      warnings.off('warning', onWarning);
      for (const listener of savedListeners) warnings.on('warning', listener);
    }
  };
}

function describe(args: unknown[]): { origin: string; message: string } {
  let origin = 'console';
  let rest = args;
  const [first, second] = args;
  if (typeof first === 'string' && typeof second === 'string' && POLKADOT_DATE.test(first)) {
    const name = POLKADOT_ORIGIN.exec(second)?.[1];
    if (name !== undefined) {
      origin = `polkadot/${name.toLowerCase()}`;
      rest = args.slice(2);
    }
  }
  const text = format(...rest).trim();
  return {
    origin,
    message: text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)} …` : text,
  };
}

function levelOf(method: Method, origin: string): Level {
  if (method === 'error') return origin === 'console' ? 'error' : 'warn';
  if (method === 'warn') return 'warn';
  if (method === 'debug' || method === 'trace') return 'debug';
  // Chatter a dependency prints as plain `log`/`info` is not the operator's news.
  return origin === 'console' ? 'info' : 'debug';
}
