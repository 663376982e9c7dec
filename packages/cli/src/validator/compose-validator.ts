import {
  ChildProcessEvaluator,
  TOKENS,
  Validator,
  type Container,
  type StepHistorySink,
  type ValidatorObserver,
  type ValidatorOptions,
} from '@pretrain/core';
import type { CommandContext } from '../commands/cli-command.js';
import { CLI_TOKENS } from '../compose/index.js';
import { backendOptionsFor } from '../config/index.js';
import type { ChainSession } from '../commands/push/chain-session.js';

/** A validator wired to the container's ports, and its evaluator (to kill children on exit). */
export interface ComposedValidator {
  readonly validator: Validator;
  readonly evaluator: ChildProcessEvaluator;
}

/**
 * Build the validator of `pretrain validate` from the run's container (see
 * `composeCommand`): its chain client, model store (`--model-store`), local store
 * (`--model-dir`), datasets (`--dataset`, else each competition's), tokenizers and logger,
 * with a child-process evaluator for `--backend`. A test passes a child container with
 * some of these rebound.
 */
export async function composeValidator(
  container: Container,
  context: CommandContext,
  session: ChainSession,
  options: ValidatorOptions,
  observer: ValidatorObserver,
  history?: StepHistorySink,
): Promise<ComposedValidator> {
  const { io, config } = context;
  const plugin = await container.resolve(CLI_TOKENS.BackendPlugin);
  const evaluator = new ChildProcessEvaluator({
    backend: config.backend,
    cwd: io.cwd,
    backendOptions: backendOptionsFor(config, plugin),
    timeoutMs: options.evalTimeoutMs,
    loadTimeoutMs: options.loadTimeoutMs,
  });
  const logger = await container.resolve(TOKENS.Logger);
  const validator = await Validator.create(
    {
      chain: await container.resolve(TOKENS.ChainClient),
      signer: session.signer,
      store: await container.resolve(TOKENS.ModelStore),
      local: await container.resolve(TOKENS.LocalModelStore),
      datasetFor: await container.resolve(CLI_TOKENS.DatasetFor),
      tokenizerFor: await container.resolve(CLI_TOKENS.TokenizerFor),
      evaluator,
      logger: logger.child({ component: 'validator' }),
      observer,
      history,
    },
    options,
  );
  return { validator, evaluator };
}
