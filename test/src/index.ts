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
