import {
  directoryStorePlugin,
  localTextDatasetPlugin,
  type PortPluginKind,
  type PortPluginOf,
} from '@pretrain/core';
import { falconDatasetPlugin, fineWebEduDatasetPlugin, hubStorePlugin } from '@pretrain/huggingface';
import { subtensorChainPlugin } from '@pretrain/subtensor';

/**
 * The plugins the CLI carries, by the names users write (`--model-store hf`,
 * `--dataset falcon`, `chain: subtensor`). Any other name is a third-party package
 * (`pretrain-<kind>-<name>`) or a module path, loaded by the same rule as backends.
 */
export const PORT_BUILTINS: { readonly [K in PortPluginKind]: ReadonlyMap<string, PortPluginOf[K]> } = {
  store: new Map([
    ['hf', hubStorePlugin],
    ['dir', directoryStorePlugin],
  ]),
  dataset: new Map([
    ['falcon', falconDatasetPlugin],
    ['fineweb-edu2', fineWebEduDatasetPlugin],
    ['local', localTextDatasetPlugin],
  ]),
  chain: new Map([['subtensor', subtensorChainPlugin]]),
};
