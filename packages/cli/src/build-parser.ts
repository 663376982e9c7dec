import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '@pretrain/core';
import type { CliIo } from './cli-io.js';
import type { CliCommand, CommandContext, GlobalArgs } from './commands/index.js';
import { checkNumericFlags } from './input/numeric-flags.js';
import { rootParser } from './root-parser.js';
import { ownVersion, printInstalledPackages } from './version/print-version.js';

/** Hooks `main` gives the parser: build a command's context, record its exit code. */
export interface ParserHooks {
  /** Build the context of the command about to run (loads and validates the config). */
  context(args: Readonly<Record<string, unknown>>): Promise<CommandContext>;
  /** Record the exit code the command returned. */
  exit(code: number): void;
}

/**
 * The yargs parser of one `main()` run: global flags, every command, our `--version`,
 * and failures turned into `UsageError`s (yargs never prints or exits by itself).
 */
export function buildParser(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand[],
  hooks: ParserHooks,
): Argv {
  let parser: Argv = rootParser(io);
  for (const command of commands) parser = parser.command(toModule(command, io, hooks, argv));
  return parser
    .command({
      command: '$0',
      describe: false,
      handler: (args) => {
        if (args.version !== true) {
          throw new UsageError('no command given', { hint: '`pretrain --help` lists the commands' });
        }
        printVersions(io, argv);
      },
    })
    .fail((message: string | undefined, error: Error | undefined) => {
      // yargs reports some bad input as its own YError (e.g. a `requiresArg` flag given no
      // value): that is a usage mistake, not a crash; any other error is the command's own.
      if (error && error.name !== 'YError') throw error;
      const first = argv[0];
      if (first !== undefined && !first.startsWith('-') && commandPath(argv, commands) === '') {
        throw new UsageError(`unknown command ${JSON.stringify(first)}`, {
          hint: `commands: ${commands.map((c) => c.command.split(/\s+/)[0]).join(', ')}; see \`pretrain --help\``,
        });
      }
      throw new UsageError(message ?? 'invalid arguments', {
        hint: `\`pretrain ${commandPath(argv, commands)}--help\` shows the usage`,
      });
    });
}

function toModule(
  command: CliCommand,
  io: CliIo,
  hooks: ParserHooks,
  argv: readonly string[],
): CommandModule<GlobalArgs, object> {
  const { run, subcommands = [] } = command;
  return {
    command: command.command,
    describe: command.describe,
    builder: (y: Argv<GlobalArgs>) => {
      // `--version` is a root flag: hidden under commands, and it wins over them as in most CLIs.
      let built: Argv<object> = (command.builder ? command.builder(y) : y).hide('version');
      for (const sub of subcommands) built = built.command(toModule(sub, io, hooks, argv));
      if (!run && subcommands.length > 0) built = built.demandCommand(1, 'a subcommand is required');
      if (command.epilogue) built = built.epilogue(command.epilogue);
      return built;
    },
    handler: async (args) => {
      if ((args as { version?: unknown }).version === true) {
        printVersions(io, argv);
        return;
      }
      if (!run) return;
      checkNumericFlags(args as Record<string, unknown>, argv);
      const context = await hooks.context(args as Record<string, unknown>);
      const code = await run(args as Parameters<typeof run>[0], context);
      hooks.exit(code ?? 0);
    },
  };
}

// The leading words of `argv` that name commands, so the hint points at the right `--help`.
function commandPath(argv: readonly string[], commands: readonly CliCommand[]): string {
  const words: string[] = [];
  let level = commands;
  for (const word of argv) {
    const match = level.find((c) => c.command.split(/\s+/)[0] === word);
    if (!match) break;
    words.push(word);
    level = match.subcommands ?? [];
  }
  return words.map((w) => `${w} `).join('');
}

function printVersions(io: CliIo, argv: readonly string[]): void {
  io.stdout.write(`${ownVersion()}\n`);
  if (argv.includes('--verbose')) printInstalledPackages(io);
}
