/**
 * What to do about an error that came without a hint, by its `code`: the CLI promises a
 * hint under every error, and low-level code (a parser deep in core) cannot always say
 * what the user should do.
 */
export const DEFAULT_HINTS: Readonly<Record<string, string>> = Object.freeze({
  PRETRAIN_USAGE: '`pretrain --help` shows the commands and settings',
  PRETRAIN_BACKEND_NOT_FOUND: '`pretrain backends` shows which backends are usable here',
  PRETRAIN_PLUGIN_NOT_FOUND:
    'install the plugin in this project (pretrain-<kind>-<name>) or give its path; docs/PLUGINS.md says how plugins are named',
  PRETRAIN_PLUGIN_CONTRACT: 'install a release of the backend built for this version of @pretrain/core',
  PRETRAIN_UNSUPPORTED_MODEL: '`pretrain backends` lists the architectures and dtypes each backend runs',
  PRETRAIN_CORRUPT_MODEL: 'the model files are damaged or incomplete: download or export them again',
  PRETRAIN_MODEL_REJECTED: "the model does not meet the subnet's rules for its block",
  PRETRAIN_CHAIN: 'check the chain endpoint (--chain-endpoint) and that the node is reachable',
  PRETRAIN_MODEL_STORE: 'check the network and the Hugging Face token (PRETRAIN_HF_TOKEN)',
  PRETRAIN_DATASET: 'check the dataset path, or the network for a remote dataset',
  PRETRAIN_WALLET: 'check --wallet-path, --wallet-name and --wallet-hotkey',
  PRETRAIN_TIMEOUT: 'try again; if it keeps happening, rerun with --verbose',
});

/** The hint printed under a `PretrainError`: its own, else the default for its code. */
export function hintFor(error: { readonly code: string; readonly hint: string | undefined }): string {
  // The code may come from a plugin's error: only the table's own keys count.
  const fallback = Object.hasOwn(DEFAULT_HINTS, error.code) ? DEFAULT_HINTS[error.code] : undefined;
  return error.hint ?? fallback ?? 'rerun with --verbose for details';
}
