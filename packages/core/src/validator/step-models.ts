import type { LocalModelStore, Metagraph } from '../contracts/index.js';
import type { ModelId, ModelMetadata } from '../model/index.js';
import type { ModelTracker } from '../tracker/index.js';
import type { BatchShape } from './batch-file.js';
import type { ChildEvalCall } from './child-evaluator.js';
import { failedOutcome, type EvalOutcome, type ModelTimings } from './eval-outcome.js';
import type { ModelContentHashes } from './model-content-hashes.js';
import type { ModelEvaluator, PreparedEvaluation } from './model-evaluator.js';

/** What a step knows about one uid's model before evaluating it. */
interface UidPlan {
  readonly uid: number;
  readonly hotkey: string;
  readonly metadata: ModelMetadata | undefined;
  readonly path: string | undefined;
  /** Unsalted subnet hash of the local files, when evaluations are shared and it could be computed. */
  readonly key: string | undefined;
  readonly hashMs: number;
}

/** One uid's outcome in a step. */
export interface UidOutcome {
  readonly uid: number;
  readonly hotkey: string;
  /** Commitment block (`+Infinity` without metadata). */
  readonly block: number;
  /** The committed model evaluated (absent without metadata). */
  readonly model: ModelId | undefined;
  readonly outcome: EvalOutcome;
  /** The uid whose evaluation this one shares, when it does. */
  readonly sharedWith: number | undefined;
  /** True when the model's evaluation was refused (not missing metadata or files). */
  readonly evaluated: boolean;
  /** Phases of this uid: its hashing, and its evaluation's unless shared. */
  readonly timings: ModelTimings;
}

/** Options of {@link evaluateStepModels}. */
export interface StepModelsInput {
  readonly uids: readonly number[];
  readonly metagraph: Metagraph;
  readonly tracker: ModelTracker;
  readonly local: LocalModelStore;
  readonly evaluator: ModelEvaluator;
  readonly batchFile: string;
  readonly shape: BatchShape;
  /** Share one evaluation among uids whose files hash alike. */
  readonly share: boolean;
  readonly hashes: ModelContentHashes;
  /** Load the next distinct model while the current one is evaluated. */
  readonly lookAhead: boolean;
  readonly call: (uid: number) => ChildEvalCall;
  /** Called when `uid`'s turn comes, before its outcome is known. */
  readonly onTurn: (uid: number, hotkey: string) => void;
  /** Called with each uid's outcome, in `uids` order, as soon as it is known. */
  readonly onOutcome: (outcome: UidOutcome) => void;
}

/** Totals of {@link evaluateStepModels}. */
export interface StepModelsTotals {
  readonly evaluations: number;
  /** Sum of the evaluations' `durationMs`. */
  readonly evalMs: number;
  readonly tokens: number;
  /** Time spent hashing model files (overlapped with evaluations under look-ahead). */
  readonly hashMs: number;
}

/**
 * Evaluate every uid's model on the step's batch file, in `uids` order, one evaluation at
 * a time. Uids whose files hash alike share the first one's outcome. With `lookAhead`
 * the next distinct model's files are hashed, its process started and the model loaded
 * while the current one computes: never more than one model ahead, so memory holds at
 * most one extra model. A model loaded ahead that fails, hangs or crashes while loading
 * has that as its own outcome: the one being evaluated is not touched.
 */
export async function evaluateStepModels(input: StepModelsInput): Promise<StepModelsTotals> {
  const { uids, evaluator, batchFile, shape } = input;
  const plans = new Map<number, Promise<UidPlan>>();
  const planAt = (index: number): Promise<UidPlan> => {
    let plan = plans.get(index);
    if (plan === undefined) plans.set(index, (plan = planUid(input, uids[index]!)));
    return plan;
  };
  // Unsalted hash → the uid evaluated on those files and its outcome.
  const evaluated = new Map<string, { readonly uid: number; readonly outcome: EvalOutcome }>();
  const prepared = new Map<number, PreparedEvaluation>();
  const prepare = input.lookAhead ? evaluator.prepare?.bind(evaluator) : undefined;
  let ahead: Promise<void> = Promise.resolve();
  const totals = { evaluations: 0, evalMs: 0, tokens: 0, hashMs: 0 };

  /** Prepare the first uid after `from` that will need an evaluation of its own. */
  const lookAheadFrom = async (from: number): Promise<void> => {
    if (prepare === undefined) return;
    const keys = new Set<string>();
    for (let j = 0; j < from; j++) {
      const key = (await planAt(j)).key;
      if (key !== undefined) keys.add(key);
    }
    for (let j = from; j < uids.length; j++) {
      const plan = await planAt(j);
      if (plan.path === undefined) continue;
      if (plan.key !== undefined && keys.has(plan.key)) continue;
      prepared.set(j, prepare(plan.path, batchFile, shape, input.call(plan.uid)));
      return;
    }
  };

  try {
    for (let i = 0; i < uids.length; i++) {
      const plan = await planAt(i);
      totals.hashMs += plan.hashMs;
      const { uid, hotkey, metadata, path, key } = plan;
      const block = metadata?.block ?? Number.POSITIVE_INFINITY;
      input.onTurn(uid, hotkey);
      const own = {
        uid,
        hotkey,
        block,
        model: metadata?.id,
        sharedWith: undefined,
        evaluated: false,
        timings: {},
      };
      if (metadata === undefined) {
        const outcome = failedOutcome(
          shape.count,
          'no-metadata',
          'no valid commitment tracked for this hotkey',
        );
        input.onOutcome({ ...own, outcome });
        continue;
      }
      if (path === undefined) {
        const outcome = failedOutcome(shape.count, 'download-failed', 'the model is not in the local store');
        input.onOutcome({ ...own, outcome });
        continue;
      }
      const prior = key === undefined ? undefined : evaluated.get(key);
      if (prior !== undefined) {
        const timings = { hashMs: plan.hashMs };
        input.onOutcome({ ...own, outcome: prior.outcome, sharedWith: prior.uid, evaluated: true, timings });
        continue;
      }
      // Whatever the look-ahead is doing, it finishes before this uid's evaluation is chosen.
      await ahead;
      const handle = prepared.get(i);
      prepared.delete(i);
      const running =
        handle?.run() ??
        (prepare !== undefined
          ? prepare(path, batchFile, shape, input.call(uid)).run()
          : evaluator.evaluate(path, batchFile, shape, input.call(uid)));
      ahead = lookAheadFrom(i + 1).catch(() => undefined);
      const outcome = await running;
      totals.evaluations += 1;
      totals.evalMs += outcome.durationMs;
      totals.tokens += outcome.tokens;
      // Files replaced while the child read them (a re-download) are not the ones hashed:
      // their outcome is this uid's alone. Unchanged files cost a stat each here.
      if (key !== undefined && (await input.hashes.hashOf(path)) === key)
        evaluated.set(key, { uid, outcome });
      const timings = { hashMs: plan.hashMs, ...outcome.timings };
      input.onOutcome({ ...own, outcome, evaluated: true, timings });
    }
  } finally {
    await ahead;
    // A step that ends early (aborted, or an error) leaves no process behind.
    for (const handle of prepared.values()) handle.cancel();
  }
  return totals;
}

async function planUid(input: StepModelsInput, uid: number): Promise<UidPlan> {
  const hotkey = input.metagraph.neurons[uid]?.hotkey ?? '';
  const metadata = input.tracker.get(hotkey);
  const path = metadata === undefined ? undefined : await input.local.retrieve(hotkey, metadata.id);
  const started = performance.now();
  const key = path !== undefined && input.share ? await input.hashes.hashOf(path) : undefined;
  return { uid, hotkey, metadata, path, key, hashMs: Math.round(performance.now() - started) };
}
