import { resolve } from 'node:path';
import { LocalTextDataset, UsageError, type Dataset, type DatasetName, type Logger } from '@pretrain/core';
import { FalconDataset, FineWebEduDataset } from '@pretrain/huggingface';

/** A parsed `--dataset`: a named remote dataset, or local text for every step. */
export type DatasetChoice =
  { readonly kind: 'named'; readonly name: DatasetName } | { readonly kind: 'local'; readonly path: string };

/** Parse `falcon`, `fineweb-edu2` or `local:<path>` (relative to `cwd`). */
export function parseDatasetOption(value: string, cwd: string): DatasetChoice {
  if (value === 'falcon' || value === 'fineweb-edu2') return { kind: 'named', name: value };
  if (value.startsWith('local:') && value.length > 6)
    return { kind: 'local', path: resolve(cwd, value.slice(6)) };
  throw new UsageError(`--dataset ${JSON.stringify(value)} is not falcon, fineweb-edu2 or local:<path>`, {
    hint: 'use --dataset local:./corpus.txt for local text; leave it out to follow the competition schedule',
  });
}

/**
 * The validator's `datasetFor`: without a choice, the dataset each block's criteria
 * name; with one, that dataset always. Instances are made once and reused.
 */
export function datasetResolver(
  choice: DatasetChoice | undefined,
  logger: Logger,
): (name: DatasetName) => Dataset {
  const made = new Map<string, Dataset>();
  return (criteriaName) => {
    const key =
      choice === undefined ? criteriaName : choice.kind === 'local' ? `local:${choice.path}` : choice.name;
    let dataset = made.get(key);
    if (dataset === undefined) {
      if (choice?.kind === 'local') dataset = new LocalTextDataset({ path: choice.path });
      else if ((choice?.name ?? criteriaName) === 'falcon') dataset = new FalconDataset({ logger });
      else dataset = new FineWebEduDataset({ logger });
      made.set(key, dataset);
    }
    return dataset;
  };
}
