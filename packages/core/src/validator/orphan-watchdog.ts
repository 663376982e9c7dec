import { Worker } from 'node:worker_threads';

/**
 * The watchdog's thread. It cannot share the main thread's event loop: the process it
 * guards may be stuck in a miner's model that spins without ever yielding.
 */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL');
}, workerData.intervalMs);
`;

/**
 * Kill this process once its parent is gone. An evaluation child whose validator died
 * by SIGKILL (or an OOM kill) never hears the IPC `disconnect` while a hostile model
 * holds its main thread, and would spin on a CPU forever; Linux re-parents it, so a
 * changed `ppid` is the signal. Polls from a worker thread every `intervalMs`.
 */
export function startOrphanWatchdog(intervalMs = 1000): void {
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: { parent: process.ppid, intervalMs },
  });
  // The watchdog never keeps a finished child alive.
  worker.unref();
}
