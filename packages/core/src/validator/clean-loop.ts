import type { LocalModelStore, Logger, Metagraph } from '../contracts/index.js';
import type { ModelId } from '../model/index.js';
import type { ModelTracker } from '../tracker/index.js';
import { errorMessage } from './rejection-reason.js';
import { sleep } from './sleep.js';
import type { UidQueue } from './uid-queue.js';

/** Collaborators of {@link cleanOnce} and {@link runCleanLoop}. */
export interface CleanDeps {
  readonly local: LocalModelStore;
  readonly tracker: ModelTracker;
  readonly queue: UidQueue;
  readonly metagraph: () => Metagraph;
  readonly logger: Logger;
}

/**
 * Delete local models not referenced by a kept or pending uid's tracked model once
 * untouched for `graceMs` (docs/SUBNET.md §7). Returns the deleted directories.
 */
export async function cleanOnce(deps: CleanDeps, graceMs: number): Promise<string[]> {
  const keep = new Map<string, ModelId>();
  const neurons = deps.metagraph().neurons;
  for (const uid of deps.queue.all()) {
    const hotkey = neurons[uid]?.hotkey;
    const metadata = hotkey === undefined ? undefined : deps.tracker.get(hotkey);
    if (hotkey !== undefined && metadata !== undefined) keep.set(hotkey, metadata.id);
  }
  const deleted = await deps.local.deleteUnreferenced(keep, graceMs);
  if (deleted.length > 0) deps.logger.info('deleted unreferenced local models', { count: deleted.length });
  return deleted;
}

/** Run {@link cleanOnce} after `firstDelayMs`, then every `intervalMs`, until `signal` aborts. */
export async function runCleanLoop(
  deps: CleanDeps,
  timing: { readonly firstDelayMs: number; readonly intervalMs: number; readonly graceMs: number },
  signal: AbortSignal,
): Promise<void> {
  await sleep(timing.firstDelayMs, signal);
  while (!signal.aborted) {
    try {
      await cleanOnce(deps, timing.graceMs);
    } catch (error) {
      deps.logger.warn('cleaning local models failed', { error: errorMessage(error) });
    }
    await sleep(timing.intervalMs, signal);
  }
}
