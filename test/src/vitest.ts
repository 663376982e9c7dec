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
export {
  describeModelStoreContract,
  type ModelStoreContractOptions,
  type ModelStoreHarness,
  type PlantedFile,
} from './contracts/model-store-contract.js';
export { describeChainClientContract, type ChainClientHarness } from './contracts/chain-client-contract.js';
export type { ConformanceExclude, ConformanceOptions } from './conformance/options.js';
