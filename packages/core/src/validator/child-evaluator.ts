import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { LossBackendOptions } from '../contracts/index.js';
import type { BatchShape } from './batch-file.js';
import { failedOutcome, type EvalOutcome, type EvalProgress } from './eval-outcome.js';
import type { EvalChildMessage, EvalGoMessage, EvalRequestMessage } from './eval-protocol.js';
import type { ModelEvaluator, PreparedEvaluation } from './model-evaluator.js';

/** Options of {@link ChildProcessEvaluator}. */
export interface ChildEvaluatorOptions {
  /** `--backend` name or path; each child resolves it itself. */
  readonly backend: string;
  /** Where the backend resolves from. */
  readonly cwd: string;
  readonly backendOptions?: LossBackendOptions;
  /**
   * Wall-clock limit per model once it is loaded: the sanity check and the losses
   * (docs/SUBNET.md §5: 360 s; the reference loads the model before its limit starts).
   */
  readonly timeoutMs: number;
  /**
   * Limit for starting the child and loading the model (default 1200 s): generous,
   * since a big model from a slow disk is no fault of its miner, but bounded, so a model
   * that never finishes loading cannot hold the step forever. An overrun fails only that model.
   */
  readonly loadTimeoutMs?: number;
  /** The worker module; default: the compiled `@pretrain/core/eval-worker`. */
  readonly workerPath?: string;
}

/** Options of one {@link ChildProcessEvaluator.evaluate} call. */
export interface ChildEvalCall {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: EvalProgress) => void;
}

/** Default {@link ChildEvaluatorOptions.loadTimeoutMs}. */
export const DEFAULT_LOAD_TIMEOUT_MS = 1_200_000;

/** Stderr kept from a child: the first lines say what went wrong, stack traces follow. */
const STDERR_KEEP = 4000;

/**
 * The path of the compiled eval worker, resolved through the package's exports so it
 * works from `dist` and from sources (tests use the build that `npm test` makes first).
 */
export function resolveEvalWorker(): string {
  return createRequire(import.meta.url).resolve('@pretrain/core/eval-worker');
}

/**
 * Evaluates each model in its own child process under two time limits: one for loading,
 * then one for the sanity check and losses. An overrun is killed with SIGKILL and a crash
 * is caught; both give the model `+Infinity` on every batch and never reject, so the step
 * continues. Only an abort of the caller's signal rejects.
 */
export class ChildProcessEvaluator implements ModelEvaluator {
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly options: ChildEvaluatorOptions) {}

  /** Evaluate the model in `modelDir` on the batches stored in `batchFile`. */
  evaluate(
    modelDir: string,
    batchFile: string,
    shape: BatchShape,
    call: ChildEvalCall = {},
  ): Promise<EvalOutcome> {
    return this.start(modelDir, batchFile, shape, call, false).run();
  }

  /**
   * Start the child and load the model now; the sanity check and the losses wait for
   * `run()` (look-ahead: loaded while the previous model computes). The load limit runs
   * from now; the per-model limit from `run()` or the end of loading, whichever is later.
   */
  prepare(
    modelDir: string,
    batchFile: string,
    shape: BatchShape,
    call: ChildEvalCall = {},
  ): PreparedEvaluation {
    return this.start(modelDir, batchFile, shape, call, true);
  }

  private start(
    modelDir: string,
    batchFile: string,
    shape: BatchShape,
    call: ChildEvalCall,
    gated: boolean,
  ): PreparedEvaluation {
    call.signal?.throwIfAborted();
    const started = performance.now();
    const child = fork(this.options.workerPath ?? resolveEvalWorker(), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.running.add(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < STDERR_KEEP) stderr = (stderr + chunk).slice(0, STDERR_KEEP);
    });
    let released = !gated;
    let loaded = false;
    let childStartMs: number | undefined;
    let timedOut: string | undefined;
    const elapsed = () => Math.round(performance.now() - started);
    const limit = (ms: number, what: string) =>
      setTimeout(() => {
        timedOut = `${what} within ${ms} ms`;
        child.kill('SIGKILL');
      }, ms);
    let timer: NodeJS.Timeout | undefined = limit(
      this.options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
      'not loaded',
    );
    // The per-model limit of docs/SUBNET.md §5 runs once the model is loaded and its turn came.
    const startEvalLimit = () => {
      if (loaded && released) timer = limit(this.options.timeoutMs, 'no result');
    };
    const outcome = new Promise<EvalOutcome>((resolve, reject) => {
      let result: EvalOutcome | undefined;
      const onAbort = () => child.kill('SIGKILL');
      call.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('message', (message: EvalChildMessage) => {
        if (message.type === 'ready') childStartMs = elapsed();
        else if (message.type === 'loaded') {
          clearTimeout(timer);
          timer = undefined;
          loaded = true;
          startEvalLimit();
        } else if (message.type === 'progress') call.onProgress?.(message);
        else result = message.outcome;
      });
      child.once('error', (error) => {
        stderr += `\n${error.message}`;
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', onAbort);
        this.running.delete(child);
        if (call.signal?.aborted) return reject(call.signal.reason);
        const withStart = (o: EvalOutcome): EvalOutcome => ({
          ...o,
          timings: { childStartMs, ...o.timings },
        });
        if (result !== undefined) return resolve(withStart(result));
        if (timedOut !== undefined) {
          const message = `${timedOut}; the evaluation process was killed`;
          return resolve(withStart(failedOutcome(shape.count, 'eval-timeout', message, elapsed())));
        }
        const how = signal === null ? `exit code ${code}` : `signal ${signal}`;
        const head = stderr
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .slice(0, 3)
          .join(' | ');
        const message = `evaluation process died (${how})${head === '' ? '' : `: ${head}`}`;
        resolve(withStart(failedOutcome(shape.count, 'eval-failed', message, elapsed())));
      });
    });
    // A prepared evaluation cancelled by an aborted step is never run: nobody awaits it.
    outcome.catch(() => undefined);
    const request: EvalRequestMessage = {
      type: 'evaluate',
      backend: this.options.backend,
      cwd: this.options.cwd,
      backendOptions: this.options.backendOptions ?? {},
      modelDir,
      batchFile,
      shape,
      ...(gated && { wait: true }),
    };
    child.send(request);
    return {
      run: () => {
        if (!released) {
          released = true;
          startEvalLimit();
          // A child that already failed (and exited) needs no go: its outcome is waiting.
          if (child.connected) child.send({ type: 'go' } satisfies EvalGoMessage, () => undefined);
        }
        return outcome;
      },
      cancel: () => child.kill('SIGKILL'),
    };
  }

  /** SIGKILL every running child (graceful shutdown). */
  killAll(): void {
    for (const child of this.running) child.kill('SIGKILL');
  }
}
