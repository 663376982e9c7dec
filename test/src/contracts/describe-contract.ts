import { afterAll, beforeAll, describe, it } from 'vitest';
import { chainClientContractCases, type ChainClientHarness } from './chain-client-contract.js';
import type { ContractCase } from './contract-case.js';
import { datasetContractCases, type DatasetHarness } from './dataset-contract.js';
import { localModelStoreContractCases, type LocalModelStoreHarness } from './local-model-store-contract.js';
import {
  modelStoreContractCases,
  openModelStoreContract,
  type ModelStoreContractContext,
  type ModelStoreContractOptions,
  type ModelStoreHarness,
} from './model-store-contract.js';

/**
 * Register framework-free contract `cases` as one vitest `describe`: the harness is made
 * once before the cases and closed after them.
 */
export function describeContract<H extends object>(
  title: string,
  cases: readonly ContractCase<H>[],
  factory: () => H | Promise<H>,
): void {
  describe(title, () => {
    let harness: H | undefined;
    beforeAll(async () => {
      harness = await factory();
    });
    afterAll(async () => {
      await (harness as { close?(): Promise<void> } | undefined)?.close?.();
    });
    for (const c of cases) it(c.name, () => c.run(harness as H));
  });
}

/** The {@link datasetContractCases} against `factory()`'s dataset, as vitest tests. */
export function describeDatasetContract(
  name: string,
  factory: () => DatasetHarness | Promise<DatasetHarness>,
): void {
  describeContract(`Dataset contract: ${name}`, datasetContractCases, factory);
}

/** The {@link localModelStoreContractCases} against `factory()`'s store, as vitest tests. */
export function describeLocalModelStoreContract(
  name: string,
  factory: () => LocalModelStoreHarness | Promise<LocalModelStoreHarness>,
): void {
  describeContract(`LocalModelStore contract: ${name}`, localModelStoreContractCases, factory);
}

/**
 * The ModelStore contract ({@link modelStoreContractCases}) against `factory()`'s store,
 * as vitest tests: the harness and a scratch directory are made once for all cases.
 */
export function describeModelStoreContract(
  name: string,
  factory: () => Promise<ModelStoreHarness>,
  options: ModelStoreContractOptions = {},
): void {
  describeContract<ModelStoreContractContext & { close(): Promise<void> }>(
    `ModelStore contract: ${name}`,
    modelStoreContractCases(options),
    async () => openModelStoreContract(await factory()),
  );
}

/**
 * The ChainClient contract ({@link chainClientContractCases}) against `harness()`, as
 * vitest tests. The harness is read once, before the first case (a devnet started in the
 * caller's `beforeAll` serves every case), and not closed here.
 */
export function describeChainClientContract(name: string, harness: () => ChainClientHarness): void {
  describeContract(`ChainClient contract: ${name}`, chainClientContractCases, harness);
}
