// Runs fuzz cases [from, to) in a worker thread and reports each one to the campaign,
// which watches for hangs and memory. Case i of seed S is always the same input.
import { parentPort, workerData } from 'node:worker_threads';
import { Random } from './random.mjs';
import { InvariantError, TARGETS, TargetCrash, prepareModels } from './targets.mjs';

const { seed, from, to, targets, scratch, maxArrayBuffersMb } = workerData;
const state = { scratch, pristine: await prepareModels(scratch) };

for (let index = from; index < to; index++) {
  const target = targets[index % targets.length];
  parentPort.postMessage({ type: 'start', index, target });
  const rng = new Random(`${seed}:${index}`);
  let message;
  try {
    const result = await TARGETS[target](rng, state);
    message = { type: 'done', index, target, result };
  } catch (error) {
    // A bug of the harness itself (a mutator) is reported apart from the code under test.
    const kind =
      error instanceof TargetCrash ? 'crash' : error instanceof InvariantError ? 'invariant' : 'harness';
    message = { type: 'failure', index, target, kind, detail: String(error?.stack ?? error).slice(0, 2000) };
  }
  const arrayBuffersMb = process.memoryUsage().arrayBuffers / 2 ** 20;
  if (arrayBuffersMb > maxArrayBuffersMb) {
    message = {
      type: 'failure',
      index,
      target,
      kind: 'memory',
      detail: `${Math.round(arrayBuffersMb)} MB of buffers held after the case (bound ${maxArrayBuffersMb} MB)`,
    };
  }
  parentPort.postMessage(message);
}
