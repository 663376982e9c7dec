import { UsageError, type Dataset } from '@pretrain/core';
import type { DatasetsServerOptions } from './datasets-server-client.js';
import { FalconDataset } from './falcon-dataset.js';
import { FineWebEduDataset } from './fineweb-edu-dataset.js';

/** Names of the datasets-server datasets, as the criteria name them. */
export type HubDatasetName = 'falcon' | 'fineweb-edu2';

/**
 * The datasets-server dataset a criteria entry names (`falcon` or `fineweb-edu2`).
 * @throws UsageError for any other name.
 */
export function createHubDataset(name: string, options: DatasetsServerOptions = {}): Dataset {
  if (name === 'falcon') return new FalconDataset(options);
  if (name === 'fineweb-edu2') return new FineWebEduDataset(options);
  throw new UsageError(`Unknown dataset '${name}'`, {
    hint: "use 'falcon' or 'fineweb-edu2' (or the local text dataset of the core)",
  });
}
