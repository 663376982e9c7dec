import { bartBuilder } from './architectures/bart.js';
import type { ArchitectureBuilder } from './architectures/common.js';
import { falconBuilder } from './architectures/falcon.js';
import { gpt2Builder } from './architectures/gpt2.js';
import { gptjBuilder } from './architectures/gptj.js';
import { gptNeoxBuilder } from './architectures/gpt-neox.js';
import { gemmaBuilder, llamaBuilder, mistralBuilder, qwen2Builder } from './architectures/llama.js';
import { phiBuilder } from './architectures/phi.js';

/**
 * Builders by causal-LM class name, the one a config's `model_type` maps to
 * ({@link causalLmClassOf}). A `Map`, not an object: the name derives from a miner's
 * config.json, and `constructor` or `__proto__` must find nothing.
 */
export const ARCHITECTURE_BUILDERS: ReadonlyMap<string, ArchitectureBuilder> = new Map([
  ['GPT2LMHeadModel', gpt2Builder],
  ['LlamaForCausalLM', llamaBuilder],
  ['MistralForCausalLM', mistralBuilder],
  ['Qwen2ForCausalLM', qwen2Builder],
  ['GPTNeoXForCausalLM', gptNeoxBuilder],
  ['GPTJForCausalLM', gptjBuilder],
  ['PhiForCausalLM', phiBuilder],
  ['GemmaForCausalLM', gemmaBuilder],
  ['FalconForCausalLM', falconBuilder],
  ['BartForCausalLM', bartBuilder],
]);

/** HF architecture names {@link openModelSpec} understands. */
export const SUPPORTED_ARCHITECTURES: readonly string[] = [...ARCHITECTURE_BUILDERS.keys()];
