import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBatchFile } from './batch-file.js';
import { resolveEvalWorker } from './child-evaluator.js';
import { writeSuccessorModel } from './testing/successor-model.js';
import { tokenBatches } from './testing/token-batches.js';

// The child runs the compiled worker: `npm test` builds before vitest.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const plugin = fileURLToPath(new URL('./test-plugins/misbehaving-plugin.mjs', import.meta.url));

/** A parent that forks the real eval worker on a model that never finishes loading. */
const PARENT = `
import { fork } from 'node:child_process';
const [worker, request] = process.argv.slice(1);
const child = fork(worker, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
child.send(JSON.parse(request));
process.stdout.write(child.pid + '\\n');
setInterval(() => {}, 1000);
`;

/** Alive and not a zombie (an orphan's zombie waits for whoever reaps it). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}

describe('the eval worker orphaned by a validator killed with SIGKILL', () => {
  let dir: string | undefined;
  let orphan: number | undefined;
  let parent: ChildProcess | undefined;
  afterAll(async () => {
    parent?.kill('SIGKILL');
    if (orphan !== undefined && running(orphan)) process.kill(orphan, 'SIGKILL');
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('kills itself although a hostile model holds its main thread', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pretrain-orphan-'));
    const batchFile = join(dir, 'batches.i32');
    const shape = await writeBatchFile(batchFile, tokenBatches(1, 16, 128));
    await writeSuccessorModel(join(dir, 'model'), { vocab: 128, boost: 0.25 });
    const request = {
      type: 'evaluate',
      backend: plugin,
      cwd: repoRoot,
      backendOptions: { behaviour: 'hang-load' },
      modelDir: join(dir, 'model'),
      batchFile,
      shape,
    };
    parent = spawn(
      process.execPath,
      ['--input-type=module', '-e', PARENT, resolveEvalWorker(), JSON.stringify(request)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = await new Promise<number>((resolve) =>
      parent!.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))),
    );
    orphan = pid;
    // Let the child reach the spinning load before its parent dies.
    await new Promise((r) => setTimeout(r, 3000));
    expect(running(pid)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 15_000;
    while (running(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(running(pid)).toBe(false);
  }, 30_000);
});
