/**
 * @pretrain/conformance/vitest: the conformance suite and the port contract suites
 * registered with vitest (an optional peer dependency: only this entry imports it).
 *
 * ```ts
 * import { describeBackendConformance } from '@pretrain/conformance/vitest';
 * describeBackendConformance(plugin, { excludes: [] });
 * ```
 */
export { describeBackendConformance } from './conformance/describe-conformance.js';
export type {
  ModelStoreContractOptions,
  ModelStoreHarness,
  PlantedFile,
} from './contracts/model-store-contract.js';
export type { ChainClientHarness } from './contracts/chain-client-contract.js';
export {
  describeChainClientContract,
  describeContract,
  describeDatasetContract,
  describeLocalModelStoreContract,
  describeModelStoreContract,
} from './contracts/describe-contract.js';
export type { DatasetHarness } from './contracts/dataset-contract.js';
export type { LocalModelStoreHarness } from './contracts/local-model-store-contract.js';
export type { ConformanceExclude, ConformanceOptions } from './conformance/options.js';
