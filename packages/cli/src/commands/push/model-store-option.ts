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
