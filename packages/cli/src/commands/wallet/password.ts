import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError } from '@pretrain/core';
import type { CliIo } from '../../cli-io.js';

/** Environment variable a wallet password is read from unless `--password-env` names another. */
export const DEFAULT_PASSWORD_ENV = 'PRETRAIN_WALLET_PASSWORD';

/** Ask on the terminal without echoing what is typed. */
async function promptHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

/**
 * The wallet password: from the environment variable `envName` when set, else from a
 * hidden prompt when stdin is a terminal; never echoed or logged.
 */
export async function readPassword(io: CliIo, envName: string, question: string): Promise<string> {
  const fromEnv = io.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new UsageError(`a wallet password is needed and ${envName} is not set`, {
      hint: `set ${envName} (or name another variable with --password-env), or run in a terminal to be asked`,
    });
  }
  return promptHidden(question);
}
