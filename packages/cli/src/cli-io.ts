/** The minimal writable the CLI prints to: `process.stdout` or a test's capture. */
export interface OutputStream {
  /** Write a chunk of text. */
  write(chunk: string): unknown;
}

/**
 * Everything the CLI takes from its process, so that tests can run `main()` in-process
 * with captured streams, a fake environment and a temporary working directory.
 */
export interface CliIo {
  /** Results only: what scripts parse. */
  readonly stdout: OutputStream;
  /** Logs, errors and hints. */
  readonly stderr: OutputStream;
  /** Environment variables; only the config loader reads them. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory: relative paths, `pretrain.config.json` and plugins resolve from it. */
  readonly cwd: string;
  /** Width used to wrap `--help`; undefined = 100 columns. */
  readonly columns?: number;
}

/** The real process's streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}
