import { UsageError } from '@pretrain/core';
import type * as devnet from '@pretrain/devnet';

/** The `@pretrain/devnet` module, as the devnet commands use it. */
export type DevnetModule = typeof devnet;

/** Whether `error` says that package `name` itself (not one of its imports) is not installed. */
export function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${name}'`)
  );
}

/**
 * Import an optional package of the CLI, turning "not installed" into a usage error with
 * the install command. `importer` exists for tests.
 */
export async function importOptional<T>(
  name: string,
  purpose: string,
  importer: () => Promise<T>,
): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if (!isMissingPackage(error, name)) throw error;
    throw new UsageError(`${purpose} needs ${name}, which is not installed`, {
      cause: error,
      hint: `npm install ${name} (beside @pretrain/cli)`,
    });
  }
}

/**
 * `@pretrain/devnet`, loaded only by the devnet commands: it brings chopsticks, sqlite3
 * and the 1.7 MB chain spec, which nothing else needs.
 */
export function loadDevnet(): Promise<DevnetModule> {
  return importOptional('@pretrain/devnet', 'the local devnet', () => import('@pretrain/devnet'));
}
