import type { CliCommand } from './commands/cli-command.js';

/** Flags that make yargs print and stop, so they never mean "run the validator". */
const INFO_FLAGS = new Set(['--help', '-h', '--version']);

/**
 * `pretrain [options]` with options but no command runs the validator, as the reference's
 * `validator.py` does: the command line becomes `pretrain validate [options]`. A line
 * that names a command anywhere (options may come before it) is left as it is.
 */
export function withDefaultCommand(
  argv: readonly string[],
  commands: readonly CliCommand[],
): readonly string[] {
  if (argv.length === 0 || !argv[0]!.startsWith('-')) return argv;
  if (argv.some((word) => INFO_FLAGS.has(word))) return argv;
  const names = new Set(commands.map((c) => c.command.split(/\s+/)[0]));
  if (argv.some((word) => names.has(word)) || !names.has('validate')) return argv;
  return ['validate', ...argv];
}
