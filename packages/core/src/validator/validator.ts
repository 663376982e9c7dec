import type { Metagraph } from '../contracts/index.js';
import { criteriaForBlock } from '../criteria/index.js';
import { UsageError } from '../errors/index.js';
import { ModelTracker } from '../tracker/index.js';
import { runCleanLoop } from './clean-loop.js';
import { runEvalStep } from './eval-step.js';
import { ModelUpdater } from './model-updater.js';
import { errorMessage } from './rejection-reason.js';
import { sleep } from './sleep.js';
import { loadValidatorState, saveValidatorState } from './state-file.js';
import { UidQueue } from './uid-queue.js';
import { UpdateLoop } from './update-loop.js';
import type { ValidatorDeps } from './validator-deps.js';
import type { StepResult } from './validator-events.js';
import type { ValidatorOptions } from './validator-options.js';
import { WeightSetter } from './weight-setter.js';
import { withTimeout } from './with-timeout.js';

/**
 * A subnet-9 validator (SUBNET9.md §7): the model update loop, eval steps in child
 * processes, weights every epoch, the clean loop and persisted state. Drive it with
 * {@link run} (all loops until aborted) or {@link runSteps} (deterministic, for tests).
 */
export class Validator {
  private step: number;
  private weights: number[];
  private readonly updateLoop: UpdateLoop;
  private readonly weightSetter: WeightSetter | undefined;

  private constructor(
    private readonly deps: ValidatorDeps,
    private readonly options: ValidatorOptions,
    private metagraph: Metagraph,
    private readonly tracker: ModelTracker,
    private readonly queue: UidQueue,
    state: { step: number; weights: number[] },
  ) {
    this.step = state.step;
    this.weights = state.weights;
    const updater = new ModelUpdater({
      ...deps,
      netuid: options.netuid,
      tracker,
      onRejection: (info) => deps.observer?.onRejection?.(info),
    });
    this.updateLoop = new UpdateLoop(
      { updater, metagraph: () => this.metagraph, queue, logger: deps.logger },
      options,
    );
    const setsWeights = !options.offline && !options.dontSetWeights && deps.signer !== undefined;
    this.weightSetter = setsWeights
      ? new WeightSetter({
          ...deps,
          signer: deps.signer!,
          netuid: options.netuid,
          versionKey: options.versionKey,
          blocksPerEpoch: options.blocksPerEpoch,
        })
      : undefined;
  }

  /**
   * Check registration (unless offline), read the metagraph and resume the saved state
   * (discarded when its version differs from `options.versionKey`).
   */
  static async create(deps: ValidatorDeps, options: ValidatorOptions): Promise<Validator> {
    if (!options.offline) {
      if (deps.signer === undefined)
        throw new UsageError('a validator needs a hotkey', {
          hint: 'pass --wallet and --hotkey, or --offline',
        });
      if (!(await deps.chain.isRegistered(options.netuid, deps.signer.address))) {
        throw new UsageError(`hotkey ${deps.signer.address} is not registered on netuid ${options.netuid}`, {
          hint: 'register the hotkey first, or run with --offline',
        });
      }
    }
    const metagraph = await deps.chain.metagraph(options.netuid);
    const saved = await loadValidatorState(options.statePath, options.versionKey, deps.logger);
    const tracker = saved === undefined ? new ModelTracker() : ModelTracker.fromJSON(saved.tracker);
    const queue = new UidQueue(saved?.uidsToEval, saved?.pendingUids);
    if (saved !== undefined)
      deps.logger.info('resumed validator state', { step: saved.step, uids: queue.all() });
    return new Validator(deps, options, metagraph, tracker, queue, {
      step: saved?.step ?? 0,
      weights: [...(saved?.weights ?? [])],
    });
  }

  /** The moving-average weights (index = uid). */
  currentWeights(): readonly number[] {
    return this.weights;
  }

  /** Kept and pending uids. */
  queuedUids(): number[] {
    return this.queue.all();
  }

  /** Block at which weights last landed, if ever. */
  lastWeightsBlock(): number | undefined {
    return this.weightSetter?.lastSetBlock;
  }

  /** Sync every uid's model once, ignoring cadences. */
  syncAllModels(signal?: AbortSignal): Promise<void> {
    return this.updateLoop.syncAll(signal);
  }

  /**
   * Run one eval step on the kept and pending uids, then save the state and refresh the
   * metagraph. Resolves undefined when no uid is queued. The state only changes here,
   * after the step completed, so a kill mid-step loses nothing and counts nothing twice.
   */
  async runStep(signal?: AbortSignal): Promise<StepResult | undefined> {
    const uids = this.queue.beginStep();
    if (uids.length === 0) {
      this.queue.abandonStep();
      return undefined;
    }
    let result: StepResult;
    try {
      const block = await this.deps.chain.currentBlock();
      const criteria = criteriaForBlock(block, this.deps.schedule);
      result = await runEvalStep({
        ...this.deps,
        ...this.options,
        step: this.step + 1,
        block,
        uids,
        metagraph: this.metagraph,
        tracker: this.tracker,
        dataset: this.deps.datasetFor(criteria.dataset),
        tokenizer: await this.deps.tokenizerFor(criteria.tokenizer),
        criteria,
        seed: this.options.seedFromChain ? await this.deps.chain.blockHash(block) : undefined,
        previousWeights: this.weights,
        signal,
      });
    } catch (error) {
      this.queue.abandonStep();
      throw error;
    }
    this.queue.finishStep(uids, result.nextUids);
    this.weights = [...result.weights];
    this.step = result.step;
    await this.saveState();
    this.deps.observer?.onStepDone?.(result);
    await this.syncMetagraph();
    return result;
  }

  /** Sync all models, then run `count` steps, setting weights when an epoch is due. */
  async runSteps(count: number, signal?: AbortSignal): Promise<StepResult[]> {
    await this.syncAllModels(signal);
    const results: StepResult[] = [];
    for (let i = 0; i < count && !signal?.aborted; i++) {
      const result = await this.runStep(signal);
      if (result === undefined) break;
      results.push(result);
      await this.setWeightsIfDue();
    }
    return results;
  }

  /**
   * Run every loop until `signal` aborts (or `maxSteps` steps are done): updates, eval
   * steps, weights and cleaning. Step failures are logged and retried.
   */
  async run(signal: AbortSignal, options: { readonly maxSteps?: number } = {}): Promise<void> {
    const inner = new AbortController();
    const stop = () => inner.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    const o = this.options;
    const loops = [
      this.updateLoop.run(inner.signal),
      runCleanLoop(
        { ...this.deps, tracker: this.tracker, queue: this.queue, metagraph: () => this.metagraph },
        { firstDelayMs: o.cleanFirstDelayMs, intervalMs: o.cleanIntervalMs, graceMs: o.cleanGraceMs },
        inner.signal,
      ),
      this.runWeightsLoop(inner.signal),
    ];
    try {
      await this.updateLoop.firstPassDone(inner.signal);
      let done = 0;
      while (!inner.signal.aborted && done < (options.maxSteps ?? Number.POSITIVE_INFINITY)) {
        const stepSignal = AbortSignal.any([inner.signal, AbortSignal.timeout(o.stepTimeoutMs)]);
        const result = await this.runStep(stepSignal).catch((error: unknown) => {
          if (!inner.signal.aborted)
            this.deps.logger.error('eval step failed', { error: errorMessage(error) });
          return null;
        });
        if (result === undefined || result === null) await sleep(o.idleMs, inner.signal);
        else done++;
      }
      if (!signal.aborted) await this.setWeightsIfDue();
    } finally {
      stop();
      signal.removeEventListener('abort', stop);
      this.deps.evaluator.killAll();
      await Promise.allSettled(loops);
    }
  }

  /** Kill running evaluations, save the state and close the chain connection. */
  async close(): Promise<void> {
    this.deps.evaluator.killAll();
    await this.saveState();
    await this.deps.chain.close();
  }

  private async setWeightsIfDue(): Promise<void> {
    try {
      await this.weightSetter?.maybeSet(this.weights);
    } catch (error) {
      this.deps.logger.warn('could not check the epoch for weights', { error: errorMessage(error) });
    }
  }

  private async runWeightsLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.weightSetter !== undefined) {
      await this.setWeightsIfDue();
      await sleep(this.options.weightsPollMs, signal);
    }
  }

  private async syncMetagraph(): Promise<void> {
    try {
      const metagraph = await withTimeout(
        this.deps.chain.metagraph(this.options.netuid),
        this.options.metagraphTimeoutMs,
      );
      this.metagraph = metagraph;
      this.updateLoop.refresh();
      this.tracker.retainHotkeys(new Set(metagraph.neurons.map((n) => n.hotkey)));
      this.queue.prune((uid) => uid < metagraph.neurons.length);
    } catch (error) {
      this.deps.logger.warn('metagraph sync failed; keeping the previous one', {
        error: errorMessage(error),
      });
    }
  }

  private saveState(): Promise<void> {
    return saveValidatorState(this.options.statePath, {
      version: this.options.versionKey,
      step: this.step,
      tracker: this.tracker.toJSON(),
      uidsToEval: this.queue.currentUids(),
      pendingUids: this.queue.pendingUids(),
      weights: this.weights,
    });
  }
}
