import { type CliIo, processIo } from './cli-io.js';
import type { CliCommand } from './commands/cli-command.js';
import { quickPath } from './quick-path.js';

/** Options of {@link main} beyond the process defaults (tests inject streams and commands). */
export interface MainOptions extends Partial<CliIo> {
  /** The command registry; defaults to every command of the CLI. */
  readonly commands?: readonly CliCommand[];
}

/**
 * Entry of the `pretrain` binary: run one command line and return the exit code
 * (0 ok, 1 a check failed, 2 bad input or a known failure, 3 an unexpected error).
 * Never calls `process.exit`, so tests call it in-process with captured streams.
 *
 * `pretrain`, `pretrain --help` and `pretrain --version` are answered without loading any
 * command (so without polkadot, onnxruntime or the hub client); everything else loads
 * the commands, each of which loads its own heavy dependencies.
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const io: CliIo = { ...processIo(), ...options };
  if (options.commands === undefined) {
    const quick = await quickPath(argv, io);
    if (quick !== undefined) return quick;
  }
  const { runCommandLine } = await import('./run-command-line.js');
  return runCommandLine(argv, io, options.commands);
}
