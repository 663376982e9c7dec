// The fuzz campaign: cases run in a worker thread with a heap limit; a case that takes
// longer than the watchdog allows is a hang (the worker is killed and a new one goes on
// with the next case), a worker that runs out of heap is a memory failure.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Every target, in the order cases cycle through them. */
export const TARGET_NAMES = ['safetensors', 'config', 'index', 'commitment', 'tokens'];

const WORKER = new URL('./worker.mjs', import.meta.url);

/**
 * Run `cases` cases from `first` with `seed`, stopping early after `maxSeconds`.
 * @returns a summary: cases run, seconds, outcomes per target and every failure.
 */
export async function runCampaign(options) {
  const {
    seed = 'pretrain',
    cases = 1000,
    first = 0,
    maxSeconds = Infinity,
    hangSeconds = 30,
    heapMb = 512,
    maxArrayBuffersMb = 512,
    targets = TARGET_NAMES,
    onProgress = () => {},
  } = options;
  const scratch = await mkdtemp(join(tmpdir(), 'pretrain-fuzz-'));
  const started = Date.now();
  const deadline = started + maxSeconds * 1000;
  const summary = { seed, first, cases: 0, seconds: 0, outcomes: {}, failures: [], stoppedEarly: false };
  let next = first;
  const end = first + cases;
  try {
    while (next < end) {
      if (Date.now() > deadline) {
        summary.stoppedEarly = true;
        break;
      }
      next = await runWorker(
        { seed, from: next, to: end, targets, scratch, heapMb, maxArrayBuffersMb, hangSeconds, deadline },
        summary,
        onProgress,
      );
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/** One worker's run; resolves with the next case to run (after a hang or a dead worker). */
function runWorker(job, summary, onProgress) {
  const { seed, from, to, targets, scratch, heapMb, maxArrayBuffersMb, hangSeconds, deadline } = job;
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, {
      workerData: { seed, from, to, targets, scratch: join(scratch, `w${from}`), maxArrayBuffersMb },
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
    let current = { index: from, target: targets[from % targets.length] };
    let settled = false;
    const finish = (nextCase) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      void worker.terminate();
      resolve(nextCase);
    };
    let lastStart = Date.now();
    let running = false;
    const watchdog = setInterval(() => {
      if (running && Date.now() - lastStart > hangSeconds * 1000) {
        summary.failures.push({ ...current, kind: 'hang', detail: `no result after ${hangSeconds} s` });
        summary.cases += 1;
        finish(current.index + 1);
      } else if (Date.now() > deadline) {
        summary.stoppedEarly = true;
        finish(to);
      }
    }, 250);
    worker.on('message', (message) => {
      if (message.type === 'start') {
        current = { index: message.index, target: message.target };
        lastStart = Date.now();
        running = true;
        return;
      }
      running = false;
      summary.cases += 1;
      const counts = (summary.outcomes[message.target] ??= {});
      if (message.type === 'done') {
        counts[message.result] = (counts[message.result] ?? 0) + 1;
      } else {
        counts[message.kind] = (counts[message.kind] ?? 0) + 1;
        summary.failures.push({
          index: message.index,
          target: message.target,
          kind: message.kind,
          detail: message.detail,
        });
      }
      onProgress(summary);
      if (message.index + 1 >= to) finish(to);
    });
    worker.on('error', (error) => {
      const kind = error?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash';
      summary.failures.push({ ...current, kind, detail: String(error?.stack ?? error).slice(0, 2000) });
      summary.cases += 1;
      finish(current.index + 1);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      // The worker left by itself (process.exit in the code under test, a fatal error).
      if (running) {
        summary.failures.push({ ...current, kind: 'crash', detail: `the worker exited with code ${code}` });
        summary.cases += 1;
      }
      finish(current.index + 1);
    });
  });
}
