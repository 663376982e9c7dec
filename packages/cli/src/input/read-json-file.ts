import { readFile } from 'node:fs/promises';
import { UsageError } from '@pretrain/core';

/** Options of {@link readJsonFile}: how errors name the file and what they suggest. */
export interface ReadJsonFileOptions {
  /** What the file is, for messages: e.g. `config file`, `step file`. */
  readonly what: string;
  /** What to do when the file cannot be read. */
  readonly readHint: string;
  /** What the file should hold, when it is not JSON. */
  readonly parseHint: string;
  /** A missing file gives undefined instead of an error. */
  readonly optional?: boolean;
}

/**
 * The parsed JSON of a file the user named, or undefined for a missing optional file.
 *
 * @throws UsageError quoting the path and the system error code, or the parser's message.
 */
export async function readJsonFile(path: string, options: ReadJsonFileOptions): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.optional === true && code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${options.what} ${path}: ${code ?? String(error)}`, {
      hint: options.readHint,
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${options.what} ${path} is not valid JSON: ${(error as Error).message}`, {
      hint: options.parseHint,
      cause: error,
    });
  }
}
