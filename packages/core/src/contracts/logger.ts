/** Structured fields attached to a log line. Secrets never go in here. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logging port; the CLI provides pretty and JSON implementations. */
export interface Logger {
  /** Detail for `--verbose` runs. */
  debug(message: string, fields?: LogFields): void;
  /** Progress a user wants to see. */
  info(message: string, fields?: LogFields): void;
  /** Something went wrong but the run goes on (e.g. a rejected model). */
  warn(message: string, fields?: LogFields): void;
  /** A failure that stops the current operation. */
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** A logger that drops everything (library default). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
