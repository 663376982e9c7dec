/**
 * @pretrain/core/testing: test doubles that speak the real contracts, for this project's
 * tests and for plugin authors' (kept out of the main entry point).
 */
export { ByteTokenizer } from './byte-tokenizer.js';
export { MemoryChain, type MemoryChainOptions, type MemoryNeuronOptions } from './memory-chain.js';
export {
  successorLoss,
  successorOf,
  writeSuccessorModel,
  type SuccessorModelOptions,
} from './successor-model.js';
export { tokenBatches } from './token-batches.js';
export { ValidatorWorld, testSchedule } from './validator-world.js';
