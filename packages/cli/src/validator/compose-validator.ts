import {
  bind,
  ChildProcessEvaluator,
  createCompositionRoot,
  DiskLocalModelStore,
  TOKENS,
  Validator,
  type ChainSigner,
  type TokenizerName,
  type Tokenizer,
  type ValidatorObserver,
  type ValidatorOptions,
} from '@pretrain/core';
import { loadTokenizer } from '@pretrain/huggingface';
import type { CommandContext } from '../commands/cli-command.js';
import { configuredBackendOptions } from '../config/index.js';
import type { ChainSession } from '../commands/push/chain-session.js';
import { createModelStore, type ModelStoreChoice } from '../commands/push/model-store-option.js';
import { datasetResolver, type DatasetChoice } from './dataset-option.js';
import type { ValidateArgs } from './validate-options.js';
import { validatorModelDir } from './validator-settings.js';

/** The parsed `--model-store` and `--dataset` (parsed early so typos fail before connecting). */
export interface ValidatorChoices {
  readonly store: ModelStoreChoice;
  readonly dataset: DatasetChoice | undefined;
}

/** A validator wired to the real adapters, and its evaluator (to kill children on exit). */
export interface ComposedValidator {
  readonly validator: Validator;
  readonly evaluator: ChildProcessEvaluator;
}

/**
 * The composition root of `pretrain validate`: binds the chain session, the model store
 * (`--model-store`), the local store under `--model-dir` and the logger, then builds the
 * validator with datasets, tokenizers and a child-process evaluator for `--backend`.
 */
export async function composeValidator(
  args: ValidateArgs,
  choices: ValidatorChoices,
  context: CommandContext,
  session: ChainSession,
  options: ValidatorOptions,
  observer: ValidatorObserver,
): Promise<ComposedValidator> {
  const { io, config, loadedConfig, logger } = context;
  const container = createCompositionRoot([
    bind(TOKENS.ChainClient, { value: session.chain }),
    bind(TOKENS.ModelStore, {
      factory: () => createModelStore(choices.store, config.hfToken),
    }),
    bind(TOKENS.LocalModelStore, {
      factory: () => new DiskLocalModelStore(validatorModelDir(args, config, io.cwd)),
    }),
    bind(TOKENS.Logger, { value: logger.child({ component: 'validator' }) }),
  ]);
  const tokenizers = new Map<TokenizerName, Promise<Tokenizer>>();
  const evaluator = new ChildProcessEvaluator({
    backend: config.backend,
    cwd: io.cwd,
    backendOptions: await configuredBackendOptions(loadedConfig, io.cwd),
    timeoutMs: options.evalTimeoutMs,
    loadTimeoutMs: options.loadTimeoutMs,
  });
  const signer: ChainSigner | undefined = session.signer;
  const validator = await Validator.create(
    {
      chain: container.resolve(TOKENS.ChainClient),
      signer,
      store: container.resolve(TOKENS.ModelStore),
      local: container.resolve(TOKENS.LocalModelStore),
      datasetFor: datasetResolver(choices.dataset, logger),
      tokenizerFor: (name) => {
        let tokenizer = tokenizers.get(name);
        if (tokenizer === undefined) tokenizers.set(name, (tokenizer = loadTokenizer(name)));
        return tokenizer;
      },
      evaluator,
      logger: container.resolve(TOKENS.Logger),
      observer,
    },
    options,
  );
  return { validator, evaluator };
}
