import type { Metagraph } from '../contracts/index.js';
import { criteriaForBlock } from '../criteria/index.js';
import type { ModelTracker } from '../tracker/index.js';
import { runCleanLoop } from './clean-loop.js';
import { runEvalLoop } from './eval-loop.js';
import { runEvalStep } from './eval-step.js';
import { ModelContentHashes } from './model-content-hashes.js';
import { ModelUpdater } from './model-updater.js';
import { errorMessage } from './rejection-reason.js';
import { saveValidatorState } from './state-file.js';
import type { UidQueue } from './uid-queue.js';
import { UpdateLoop } from './update-loop.js';
import type { ValidatorDeps } from './validator-deps.js';
import type { StepResult } from './validator-events.js';
import { assertCanValidate, resumeState, type ResumedState } from './validator-startup.js';
import type { ValidatorOptions } from './validator-options.js';
import { WeightSetter } from './weight-setter.js';
import { withTimeout } from './with-timeout.js';

/**
 * A subnet-9 validator (docs/SUBNET.md §7): the model update loop, eval steps in child
 * processes, weights every epoch, the clean loop and persisted state. Drive it with
 * {@link run} (all loops until aborted) or {@link runSteps} (deterministic, for tests).
 */
export class Validator {
  private step: number;
  private weights: number[];
  private readonly runIdValue: string;
  private readonly tracker: ModelTracker;
  private readonly queue: UidQueue;
  private readonly updater: ModelUpdater;
  private readonly updateLoop: UpdateLoop;
  private readonly weightSetter: WeightSetter | undefined;
  /** Content hashes of local models, kept across steps so unchanged files are not re-read. */
  private readonly contentHashes = new ModelContentHashes();

  private constructor(
    private readonly deps: ValidatorDeps,
    private readonly options: ValidatorOptions,
    private metagraph: Metagraph,
    state: ResumedState,
  ) {
    this.tracker = state.tracker;
    this.queue = state.queue;
    this.step = state.step;
    this.weights = state.weights;
    this.runIdValue = state.run;
    const { tracker, queue } = state;
    const updater = (this.updater = new ModelUpdater({
      ...deps,
      netuid: options.netuid,
      tracker,
      contentHashes: this.contentHashes,
      onRejection: (info) => deps.observer?.onRejection?.(info),
      onDownload: (info) => deps.observer?.onDownload?.(info),
    }));
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
    await assertCanValidate(deps, options);
    const metagraph = await deps.chain.metagraph(options.netuid);
    return new Validator(deps, options, metagraph, await resumeState(deps, options));
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
      const chainStarted = performance.now();
      const block = await this.deps.chain.currentBlock();
      const seed = this.options.seedFromChain ? await this.deps.chain.blockHash(block) : undefined;
      const chainMs = Math.round(performance.now() - chainStarted);
      const criteria = criteriaForBlock(block, this.deps.schedule);
      result = await runEvalStep({
        ...this.deps,
        ...this.options,
        step: this.step + 1,
        block,
        uids,
        metagraph: this.metagraph,
        tracker: this.tracker,
        dataset: await this.deps.datasetFor(criteria.dataset),
        tokenizer: await this.deps.tokenizerFor(criteria.tokenizer),
        criteria,
        seed,
        previousWeights: this.weights,
        contentHashes: this.contentHashes,
        signal,
      });
      result = { ...result, timings: result.timings && { ...result.timings, chainMs } };
    } catch (error) {
      this.queue.abandonStep();
      throw error;
    }
    this.queue.finishStep(uids, result.nextUids);
    this.forgetUntrackedHashes();
    this.weights = [...result.weights];
    this.step = result.step;
    // History first: a kill before the state is saved runs this step again under the same
    // run and number, which the history then keeps once; the reverse order could lose it.
    await this.recordHistory(result);
    const saveStarted = performance.now();
    await this.saveState();
    const stateWriteMs = Math.round(performance.now() - saveStarted);
    result = { ...result, timings: result.timings && { ...result.timings, stateWriteMs } };
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
      this.weightSetter?.run(() => this.weights, o.weightsPollMs, inner.signal),
    ];
    try {
      await this.updateLoop.firstPassDone(inner.signal);
      const { stepTimeoutMs, idleMs } = o;
      const runStep = (stepSignal: AbortSignal) => this.runStep(stepSignal);
      const loop = { runStep, stepTimeoutMs, idleMs, maxSteps: options.maxSteps, logger: this.deps.logger };
      await runEvalLoop(loop, inner.signal);
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
    await this.weightSetter?.maybeSet(this.weights);
  }

  private async syncMetagraph(): Promise<void> {
    try {
      const metagraph = await withTimeout(
        this.deps.chain.metagraph(this.options.netuid),
        this.options.metagraphTimeoutMs,
      );
      const previous = this.metagraph.neurons;
      this.metagraph = metagraph;
      this.updateLoop.refresh();
      const hotkeys = new Set(metagraph.neurons.map((n) => n.hotkey));
      this.tracker.retainHotkeys(hotkeys);
      this.updater.retainHotkeys(hotkeys);
      // A uid that changed hands starts from nothing: no inherited weight, no queued model.
      const replaced = new Set(
        metagraph.neurons
          .filter((n) => previous[n.uid] !== undefined && previous[n.uid]?.hotkey !== n.hotkey)
          .map((n) => n.uid),
      );
      for (const uid of replaced) if (uid < this.weights.length) this.weights[uid] = 0;
      this.queue.prune((uid) => uid < metagraph.neurons.length && !replaced.has(uid));
    } catch (error) {
      this.deps.logger.warn('metagraph sync failed; keeping the previous one', {
        error: errorMessage(error),
      });
    }
  }

  private async recordHistory(result: StepResult): Promise<void> {
    try {
      await this.deps.history?.recordStep(this.runIdValue, result);
    } catch (error) {
      this.deps.logger.warn('could not record the step in the history', {
        step: result.step,
        error: errorMessage(error),
      });
    }
  }

  /** Id of this run of steps (new whenever the state starts fresh). */
  runId(): string {
    return this.runIdValue;
  }

  /** Drop the remembered hashes of directories no tracked model lives in any more. */
  private forgetUntrackedHashes(): void {
    const dirs = new Set<string>();
    for (const [hotkey, { id }] of this.tracker.entries()) {
      try {
        dirs.add(this.deps.local.pathFor(hotkey, id));
      } catch {
        // An id that names no directory has nothing remembered.
      }
    }
    this.contentHashes.retain(dirs);
  }

  private saveState(): Promise<void> {
    return saveValidatorState(this.options.statePath, {
      version: this.options.versionKey,
      step: this.step,
      tracker: this.tracker.toJSON(),
      uidsToEval: this.queue.currentUids(),
      pendingUids: this.queue.pendingUids(),
      weights: this.weights,
      run: this.runIdValue,
    });
  }
}
