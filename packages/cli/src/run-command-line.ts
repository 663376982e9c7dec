import type { Logger } from '@pretrain/core';
import type { CliIo } from './cli-io.js';
import { buildParser } from './build-parser.js';
import { commands as allCommands, type CliCommand, type CommandContext } from './commands/index.js';
import { loadConfig } from './config/index.js';
import { reportError, reportErrorAsLog } from './errors/report-error.js';
import { bridgeConsole } from './logging/console-bridge.js';
import { createLogger } from './logging/create-logger.js';
import { withDefaultCommand } from './default-command.js';
import { translateDottedFlags } from './input/dotted-flags.js';

/**
 * Parse and run one command line with every command loaded (what `main` does once the
 * quick paths do not apply); returns the exit code.
 */
export async function runCommandLine(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand[] = allCommands,
): Promise<number> {
  // Known before config is loaded, so even config errors honour --verbose.
  let verbose = argv.includes('--verbose') || /^(1|true|yes|on)$/i.test(io.env.PRETRAIN_VERBOSE ?? '');
  let exitCode = 0;
  let helpText = '';
  let unbridge = (): void => undefined;
  // Set once the config says `--log-format json`: errors then become a JSON log line too.
  let jsonLogger: Logger | undefined;
  try {
    argv = withDefaultCommand(translateDottedFlags(argv), commands);
    const parser = buildParser(argv, io, commands, {
      context: async (args) => {
        const context = await createContext(io, args);
        verbose = context.config.verbose;
        if (context.config.logFormat === 'json') jsonLogger = context.logger;
        // In the real process every console line of a dependency goes through our logger;
        // in-process callers with their own streams keep their console.
        if (io.stderr === process.stderr) {
          unbridge = bridgeConsole({ logger: context.logger, console, warnings: process });
        }
        return context;
      },
      exit: (code) => {
        exitCode = code;
      },
    });
    await parser.parseAsync([...argv], {}, (_error, _args, output) => {
      helpText = output;
    });
    if (helpText) io.stdout.write(`${helpText}\n`);
    return exitCode;
  } catch (error) {
    // A failure before the config was read (a bad flag) still honours an explicit request.
    if (jsonLogger === undefined && requestedLogFormat(argv, io.env) === 'json') {
      jsonLogger = createLogger({ stream: io.stderr, format: 'json', verbose });
    }
    return jsonLogger === undefined
      ? reportError(error, io.stderr, verbose)
      : reportErrorAsLog(error, jsonLogger, verbose);
  } finally {
    unbridge();
  }
}

/** `--log-format` as the command line or `PRETRAIN_LOG_FORMAT` gives it, without parsing. */
function requestedLogFormat(argv: readonly string[], env: CliIo['env']): string | undefined {
  const at = argv.lastIndexOf('--log-format');
  const inline = argv.findLast((arg) => arg.startsWith('--log-format='));
  return (at >= 0 ? argv[at + 1] : inline?.slice('--log-format='.length)) ?? env.PRETRAIN_LOG_FORMAT;
}

async function createContext(io: CliIo, args: Readonly<Record<string, unknown>>): Promise<CommandContext> {
  const loadedConfig = await loadConfig({ flags: args, env: io.env, cwd: io.cwd });
  const config = loadedConfig.values;
  const logger = createLogger({ stream: io.stderr, format: config.logFormat, verbose: config.verbose });
  logger.debug('config loaded', { file: loadedConfig.file ?? null });
  return { io, config, loadedConfig, logger };
}
