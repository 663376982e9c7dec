/**
 * @pretrain/conformance: the loss-backend conformance suite (vitest and programmatic),
 * the deterministic fixture-model generator, the reference goldens, and the contract
 * suites of the chain client and model stores (run against every implementation, fakes too).
 */
export { describeBackendConformance } from './conformance/describe-conformance.js';
export {
  runConformance,
  type ConformanceResult,
  type RunConformanceOptions,
} from './conformance/run-conformance.js';
export { conformanceCases, conformanceCaseIds } from './conformance/cases.js';
export type { ConformanceCase } from './conformance/conformance-case.js';
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
export { encodeSafetensors, type TensorData } from './fixtures/safetensors-writer.js';
export {
  describeModelStoreContract,
  type ModelStoreContractOptions,
  type ModelStoreHarness,
  type PlantedFile,
} from './contracts/model-store-contract.js';
export { describeChainClientContract, type ChainClientHarness } from './contracts/chain-client-contract.js';
