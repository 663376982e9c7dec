/** @pretrain/cli/testing: run `pretrain` in-process with captured output, for tests. */
export { runCli, type CliRun } from './run-cli.js';
