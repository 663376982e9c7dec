import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The built `pretrain` binary (`npm run build` makes it). */
export const PRETRAIN_BIN = fileURLToPath(
  new URL('../../../../packages/cli/bin/pretrain.js', import.meta.url),
);

/** A `pretrain` process whose stdout JSON lines are collected as they arrive. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Parsed JSON lines of stdout so far. */
  readonly events: Record<string, unknown>[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the first event matching `predicate` (rejects if the process ends first). */
  waitFor(
    predicate: (event: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** SIGKILL the process and the evaluation children it forked, by pid. */
  killHard(): void;
}

/** Run `pretrain <args>` in a new process, with no `PRETRAIN_*` variables of ours. */
export function runPretrain(args: readonly string[], cwd: string): CliProcess {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PRETRAIN_')));
  const child = spawn(process.execPath, [PRETRAIN_BIN, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('{')) events.push(JSON.parse(line) as Record<string, unknown>);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const wake of waiters.splice(0)) wake();
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    events,
    stderr: () => stderr,
    exited,
    async waitFor(predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(predicate);
        if (found !== undefined) return found;
        if (ended)
          throw new Error(`pretrain exited before the awaited event; stderr:\n${stderr.slice(-3000)}`);
        if (Date.now() > deadline)
          throw new Error(`no awaited event within ${timeoutMs} ms; stderr:\n${stderr.slice(-3000)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 1000);
        });
      }
    },
    killHard() {
      const children = childPids(child.pid!);
      child.kill('SIGKILL');
      for (const pid of children) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    },
  };
}

/** Direct children of `pid` (the evaluation processes of a validator). */
function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** A TCP port that was free a moment ago (for a devnet that must come back on the same port). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
