/**
 * Entry of the child process that evaluates one model (`@pretrain/core/eval-worker`).
 * It waits for one {@link EvalRequestMessage}, evaluates, sends progress and the result
 * over IPC, and exits. A model that hangs or crashes takes only this process down; the
 * parent enforces the time limit with SIGKILL. A request with `wait` loads the model,
 * then waits for the parent's `go` before the sanity check (look-ahead).
 */
import { readBatchFile } from './batch-file.js';
import type { EvalChildMessage, EvalParentMessage, EvalRequestMessage } from './eval-protocol.js';
import { failedOutcome, type EvalOutcome } from './eval-outcome.js';
import { evaluateModel } from './evaluate-model.js';
import { startOrphanWatchdog } from './orphan-watchdog.js';
import { errorMessage } from './rejection-reason.js';

function send(message: EvalChildMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, undefined, {}, () => resolve()) ?? resolve());
}

let go!: () => void;
const released = new Promise<void>((resolve) => (go = resolve));

async function handle(request: EvalRequestMessage): Promise<void> {
  void send({ type: 'ready' });
  let outcome: EvalOutcome;
  const started = performance.now();
  try {
    const batches = await readBatchFile(request.batchFile, request.shape);
    const batchReadMs = Math.round(performance.now() - started);
    outcome = await evaluateModel({
      backend: request.backend,
      cwd: request.cwd,
      backendOptions: request.backendOptions,
      modelDir: request.modelDir,
      batches,
      onLoaded: () => void send({ type: 'loaded' }),
      onProgress: (progress) => void send({ type: 'progress', ...progress }),
      ...(request.wait === true && { beforeRun: () => released }),
    });
    outcome = { ...outcome, timings: { batchReadMs, ...outcome.timings } };
  } catch (error) {
    outcome = failedOutcome(request.shape.count, 'eval-failed', errorMessage(error));
  }
  await send({ type: 'result', outcome });
  process.disconnect?.();
  process.exit(0);
}

if (process.send === undefined) {
  process.stderr.write('eval-worker must be started by the validator with an IPC channel\n');
  process.exit(2);
}
// Orphaned by a parent that died: nobody will read the result.
process.once('disconnect', () => process.exit(1));
startOrphanWatchdog();
let requested = false;
process.on('message', (message: EvalParentMessage) => {
  if (message.type === 'go') go();
  else if (!requested) {
    requested = true;
    void handle(message);
  }
});
