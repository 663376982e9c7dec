import { main, type MainOptions } from '../main.js';

/** What {@link runCli} captured. */
export interface CliRun {
  /** The exit code `main` returned. */
  readonly code: number;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/**
 * Run `pretrain <argv>` in-process with captured output, for tests of commands.
 * The environment defaults to empty so that the caller's `PRETRAIN_*` variables do not leak in.
 */
export async function runCli(argv: readonly string[], options: MainOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    env: {},
    columns: 100,
    ...options,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}
