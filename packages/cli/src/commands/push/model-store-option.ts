import { resolve } from 'node:path';
import { DirectoryModelStore, UsageError, type ModelStore } from '@pretrain/core';
import { HubModelStore } from '@pretrain/huggingface';

/**
 * A parsed `--model-store` value: the Hugging Face hub (or a hub-compatible server at
 * `hubUrl`: a mirror, or a test double), or an embedded directory store.
 */
export type ModelStoreChoice =
  { readonly kind: 'hf'; readonly hubUrl?: string } | { readonly kind: 'dir'; readonly path: string };

/** The `--model-store` option as yargs declares it (shared by push, download and the validator). */
export const MODEL_STORE_OPTION = {
  type: 'string',
  default: 'hf',
  describe:
    'where models live: hf (the Hugging Face hub), hf:<http(s) URL> (a hub-compatible server) or dir:<path> (an embedded store with immutable commits)',
} as const;

/** Parse `hf`, `hf:<url>` or `dir:<path>` (relative to `cwd`). */
export function parseModelStoreOption(value: string, cwd: string): ModelStoreChoice {
  if (value === 'hf') return { kind: 'hf' };
  if (/^hf:https?:\/\/[^\s]+$/.test(value)) return { kind: 'hf', hubUrl: value.slice(3) };
  if (value.startsWith('dir:') && value.length > 4)
    return { kind: 'dir', path: resolve(cwd, value.slice(4)) };
  throw new UsageError(`--model-store ${JSON.stringify(value)} is neither hf, hf:<url> nor dir:<path>`, {
    hint: 'use --model-store hf, or --model-store dir:./models for a local directory store',
  });
}

/** Create the store; the hub store gets the token from the config (never from logs). */
export function createModelStore(choice: ModelStoreChoice, hfToken: string | undefined): ModelStore {
  if (choice.kind === 'dir') return new DirectoryModelStore(choice.path);
  return new HubModelStore({
    ...(choice.hubUrl === undefined ? {} : { hubUrl: choice.hubUrl }),
    ...(hfToken === undefined ? {} : { accessToken: hfToken }),
  });
}
