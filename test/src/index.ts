/**
 * @pretrain/conformance: the loss-backend conformance suite, run framework-free
 * ({@link runConformance}), the fixture models and the reference goldens it ships, and
 * the deterministic fixture-model generator. Nothing here imports a test framework:
 * `@pretrain/conformance/vitest` registers the same cases, and the contract suites of
 * the chain client and model stores, with vitest.
 */
export {
  runConformance,
  type ConformanceResult,
  type RunConformanceOptions,
} from './conformance/run-conformance.js';
export { conformanceCases, conformanceCaseIds } from './conformance/cases.js';
export { UnsupportedByCapability, type ConformanceCase } from './conformance/conformance-case.js';
export type { ConformanceExclude, ConformanceOptions } from './conformance/options.js';
export { ConformanceFailure } from './conformance/assertions.js';
export { generateFixtureModels } from './fixtures/generate-fixtures.js';
export { FIXTURE_MODELS, type FixtureModel } from './fixtures/fixture-models.js';
export { FIXTURES_DIR, fixtureModelDir } from './fixtures/fixture-paths.js';
export {
  readGoldens,
  readBatches,
  goldenModelDir,
  type Goldens,
  type GoldenModel,
} from './fixtures/goldens.js';
export { encodeSafetensors, type TensorData } from '@pretrain/core';
// Port contracts, framework-free: run them with runContractCases, or register them with
// `@pretrain/conformance/vitest` (describeDatasetContract, describeLocalModelStoreContract).
export { runContractCases, type ContractCase, type ContractCaseResult } from './contracts/contract-case.js';
export { chainClientContractCases, type ChainClientHarness } from './contracts/chain-client-contract.js';
export { datasetContractCases, type DatasetHarness } from './contracts/dataset-contract.js';
export {
  modelStoreContractCases,
  openModelStoreContract,
  type ModelStoreContractCase,
  type ModelStoreContractContext,
  type ModelStoreContractOptions,
  type ModelStoreHarness,
  type PlantedFile,
} from './contracts/model-store-contract.js';
export {
  localModelStoreContractCases,
  type LocalModelStoreHarness,
} from './contracts/local-model-store-contract.js';
