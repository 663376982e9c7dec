export { main, type MainOptions } from './main.js';
export type { CliIo, OutputStream } from './cli-io.js';
export * from './commands/index.js';
export * from './config/index.js';
export * from './output/index.js';
export { createLogger, type CreateLoggerOptions } from './logging/create-logger.js';
export { reportError, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_UNEXPECTED } from './errors/report-error.js';
export {
  findInstalledPackages,
  PRETRAIN_PACKAGES,
  type InstalledPackage,
} from './version/installed-packages.js';
