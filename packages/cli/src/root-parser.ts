import yargs, { type Argv } from 'yargs';
import type { CliIo } from './cli-io.js';
import { describeConfig } from './config/describe-config.js';

/**
 * The root of every `pretrain` parser: name, usage, the global flags and the epilogue.
 * Shared by the full parser and the quick `--help`, so both print the same. `--backend`,
 * `--device` and `--backend-option` are global: accepted before or after the command name.
 */
export function rootParser(io: CliIo): Argv {
  return yargs()
    .scriptName('pretrain')
    .usage(
      '$0 <command> [options]\n$0 [options]          the validator: the same as `pretrain validate [options]`',
    )
    .example('$0 --backend onnx --wallet my-wallet --hotkey my-hotkey', 'run a validator on finney')
    .exitProcess(false)
    .version(false)
    .strict()
    .wrap(Math.min(io.columns ?? 100, 120))
    .option('verbose', { type: 'boolean', global: true, describe: 'debug logs and stack traces on errors' })
    .option('config', {
      type: 'string',
      global: true,
      describe: 'config file (default ./pretrain.config.json)',
    })
    .option('log-format', { choices: ['pretty', 'json'], global: true, describe: 'log format on stderr' })
    .option('backend', {
      type: 'string',
      global: true,
      describe: 'loss backend: onnx, native, tfjs, a package name or a module path (default onnx)',
    })
    .option('device', {
      choices: ['cpu', 'cuda'] as const,
      global: true,
      describe: 'device of the backend (default cpu)',
    })
    .option('backend-option', {
      // Not `array`: an array flag before the command would swallow the command's words;
      // a repeated string flag still collects every value.
      type: 'string',
      requiresArg: true,
      global: true,
      describe: "the backend's own option, key=value (repeatable; `pretrain backends <name>` lists them)",
    })
    .option('version', {
      type: 'boolean',
      describe: 'print the version (with --verbose: every installed @pretrain package)',
    })
    .alias('help', 'h')
    .epilogue(describeConfig());
}
