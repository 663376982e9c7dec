/**
 * @pretrain/cli/testing: run `pretrain` in-process with captured output, and a local double of
 * W&B's HTTP API, for tests.
 */
export { runCli, type CliRun } from './run-cli.js';
export {
  startWandbTestServer,
  type WandbTestFault,
  type WandbTestRequest,
  type WandbTestRun,
  type WandbTestServer,
  type WandbTestServerOptions,
} from './wandb-test-server.js';
