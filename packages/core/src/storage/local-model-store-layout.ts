import { join } from 'node:path';
import { ModelRejectedError } from '@pretrain/backend-sdk';
import type { ModelId } from '../model/model-id.js';

/** Name of the directory under a store root that holds one directory per hotkey. */
export const MODELS_DIR = 'models';

/**
 * Refuse anything that is not one plain path segment: chain data names these
 * directories, so `..`, separators or NUL would escape the store.
 */
function segment(what: string, value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new ModelRejectedError(
      what === 'commit' ? 'missing-commit' : 'bad-path',
      `the model's ${what} is missing`,
    );
  }
  if (value === '.' || value === '..' || /[/\\\0]/.test(value)) {
    throw new ModelRejectedError('bad-path', `the ${what} '${value}' is not a plain directory name`);
  }
  return value;
}

/** `<root>/models/<hotkey>`: everything the store holds for one hotkey. */
export function hotkeyDirectory(root: string, hotkey: string): string {
  return join(root, MODELS_DIR, segment('hotkey', hotkey));
}

/**
 * `<root>/models/<hotkey>/models--<namespace>--<name>/snapshots/<commit>` (docs/SUBNET.md §8,
 * the Hugging Face cache layout).
 *
 * @throws ModelRejectedError (`missing-commit` or `bad-path`) for ids that cannot name a
 * directory safely.
 */
export function snapshotDirectory(root: string, hotkey: string, id: ModelId): string {
  const repo = `models--${segment('namespace', id.namespace)}--${segment('name', id.name)}`;
  return join(hotkeyDirectory(root, hotkey), repo, 'snapshots', segment('commit', id.commit));
}
