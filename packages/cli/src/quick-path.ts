import type { CliIo } from './cli-io.js';
import { COMMAND_SUMMARIES } from './commands/summaries.js';
import { ownVersion, printInstalledPackages } from './version/print-version.js';

const HELP = new Set(['--help', '-h']);

/**
 * Answer `pretrain`, `pretrain --help` and `pretrain --version [--verbose]` from light
 * modules only; undefined for any other command line (the caller loads the commands).
 */
export async function quickPath(argv: readonly string[], io: CliIo): Promise<number | undefined> {
  if (argv.length === 0 || argv.every((word) => HELP.has(word))) {
    io.stdout.write(`${await rootHelp(io)}\n`);
    return 0;
  }
  const rest = argv.filter((word) => word !== '--version');
  if (rest.length < argv.length && rest.every((word) => word === '--verbose')) {
    io.stdout.write(`${ownVersion()}\n`);
    if (rest.length > 0) printInstalledPackages(io);
    return 0;
  }
  return undefined;
}

/** The root `--help`: the full parser's root with each command's name and summary only. */
export async function rootHelp(io: CliIo): Promise<string> {
  const { rootParser } = await import('./root-parser.js');
  let parser = rootParser(io);
  for (const { command, describe } of COMMAND_SUMMARIES) parser = parser.command(command, describe);
  let help = '';
  await parser.parseAsync(['--help'], {}, (_error, _args, output) => {
    help = output;
  });
  return help;
}
