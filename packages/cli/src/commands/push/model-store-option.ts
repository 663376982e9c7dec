import { parsePluginChoice, UsageError } from '@pretrain/core';

/**
 * `--model-store` and `--model-store-option` as yargs declares them (push, download and the
 * validator); the composition root (`composeCommand`) loads the plugin they name.
 */
export const MODEL_STORE_OPTIONS = {
  'model-store': {
    type: 'string',
    default: 'hf',
    describe:
      'where models live: hf (the Hugging Face hub), hf:<http(s) URL> (a hub-compatible server), dir:<path> (an embedded store with immutable commits), or a store plugin: <name>[:<location>] (package pretrain-store-<name>) or a module path',
  },
  'model-store-option': {
    // Not `array`, as --backend-option: a repeated string flag collects every value.
    type: 'string',
    requiresArg: true,
    describe: "the store plugin's own option, key=value (repeatable)",
  },
} as const;

/** The flags of a push beside `--model-store` (push, and train's `--push-below`/`--push-if-better`). */
export const PUSH_OPTIONS = {
  'use-hotkey-in-hash': {
    type: 'boolean',
    default: false,
    describe: 'salt the hash with the hotkey (stops same-block copies)',
  },
  'hf-token': {
    type: 'string',
    describe: 'Hugging Face write token (secret; prefer PRETRAIN_HF_TOKEN)',
  },
} as const;

/**
 * Refuse a push to the Hugging Face hub without a write token, before any work.
 * @throws UsageError naming where the token goes.
 */
export function requireHubToken(modelStore: string, hfToken: string | undefined): void {
  if (parsePluginChoice(modelStore).name === 'hf' && hfToken === undefined) {
    throw new UsageError('pushing to the Hugging Face hub needs an access token', {
      hint: 'set PRETRAIN_HF_TOKEN (a write token from https://huggingface.co/settings/tokens), or use --model-store dir:<path>',
    });
  }
}
