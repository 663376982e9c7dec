import { CorruptModelError, UnsupportedModelError } from '../errors/index.js';
import type { HfConfig } from './hf-config.js';

/**
 * The class `AutoModelForCausalLM` instantiates for a config's `model_type`
 * (transformers 4.38, `MODEL_FOR_CAUSAL_LM_MAPPING_NAMES`), for the model types the
 * subnet has allowed plus `qwen2`. This class, not `architectures[0]`, is the model's
 * architecture: it is what the reference checks against the allowed list. A `Map`, since
 * the key comes from a miner's config.json.
 */
export const CAUSAL_LM_CLASS_BY_MODEL_TYPE: ReadonlyMap<string, string> = new Map([
  ['bart', 'BartForCausalLM'],
  ['falcon', 'FalconForCausalLM'],
  ['gemma', 'GemmaForCausalLM'],
  ['gpt2', 'GPT2LMHeadModel'],
  ['gpt_neox', 'GPTNeoXForCausalLM'],
  ['gptj', 'GPTJForCausalLM'],
  ['llama', 'LlamaForCausalLM'],
  ['mistral', 'MistralForCausalLM'],
  ['phi', 'PhiForCausalLM'],
  ['qwen2', 'Qwen2ForCausalLM'],
]);

/**
 * The architecture of a model: the causal-LM class its `model_type` maps to. A config
 * whose `architectures` list names another class is judged by `model_type`, as
 * `AutoModelForCausalLM.from_pretrained` loads it.
 *
 * @throws CorruptModelError when `model_type` is absent or not a string.
 * @throws UnsupportedModelError for a `model_type` outside {@link CAUSAL_LM_CLASS_BY_MODEL_TYPE}.
 */
export function causalLmClassOf(config: HfConfig): string {
  const known = [...CAUSAL_LM_CLASS_BY_MODEL_TYPE.keys()].join(', ');
  const modelType = Object.hasOwn(config.raw, 'model_type') ? config.raw['model_type'] : undefined;
  if (typeof modelType !== 'string') {
    throw new CorruptModelError(`"${config.path}" has no "model_type" string`, {
      hint: `save_pretrained writes it; the model type decides the architecture (one of: ${known})`,
    });
  }
  const found = CAUSAL_LM_CLASS_BY_MODEL_TYPE.get(modelType);
  if (found === undefined) {
    throw new UnsupportedModelError(
      `model_type "${modelType}" of "${config.path}" is not a causal language model this project evaluates; known: ${known}`,
    );
  }
  return found;
}
