import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { Logger } from '@pretrain/core';
import type { CliIo } from '../cli-io.js';
import type { LoadedConfig, PretrainConfig } from '../config/index.js';

/** Flags every command accepts (declared once on the root parser). */
export interface GlobalArgs {
  /** `--verbose`: debug logs and stack traces. */
  readonly verbose?: boolean;
  /** `--config <file>`: the config file to read. */
  readonly config?: string;
  /** `--log-format`: `pretty` or `json` log lines on stderr. */
  readonly logFormat?: 'pretty' | 'json';
}

/** What a command handler gets besides its arguments: built once per run by `main`. */
export interface CommandContext {
  /** Streams, environment and working directory (print results to `io.stdout`). */
  readonly io: CliIo;
  /** Validated settings (flags > env > file > defaults). */
  readonly config: PretrainConfig;
  /** The same settings with where each came from and the file read. */
  readonly loadedConfig: LoadedConfig;
  /** Logs to stderr in the configured format. */
  readonly logger: Logger;
}

/**
 * One command (or command group) of the `pretrain` binary.
 *
 * `command`, `describe` and `builder` are yargs' own (positionals in `command`, options in
 * `builder`); `run` replaces yargs' `handler` and receives the {@link CommandContext}.
 * A group lists `subcommands` and usually has no `run` (then a subcommand is required).
 * `run` throws `PretrainError`s for bad input; it may return an exit code (default 0).
 */
export interface CliCommand<A = object> {
  /** yargs command string: the name and positionals, e.g. `hash <dir>`. */
  readonly command: string;
  /** One line for `--help`. */
  readonly describe: string;
  /** Declares the positionals and options. */
  builder?(yargs: Argv<GlobalArgs>): Argv<A>;
  /** Does the work; throws `PretrainError`s for bad input. */
  run?(args: ArgumentsCamelCase<A & GlobalArgs>, context: CommandContext): Promise<number | void>;
  /** The subcommands of a group. */
  readonly subcommands?: readonly CliCommand[];
  /** Extra text under this command's `--help`. */
  readonly epilogue?: string;
}

/** Type-check a command against its own argument type, then erase it for the registry. */
export function defineCommand<A>(command: CliCommand<A>): CliCommand {
  return command as unknown as CliCommand;
}
