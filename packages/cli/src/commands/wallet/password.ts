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
  const typed = await promptHidden(question);
  if (typed === '') {
    throw new UsageError('the wallet password entered is empty', {
      hint: `type the password at the prompt, or set ${envName}`,
    });
  }
  return typed;
}

/**
 * Ask a yes/no question on the terminal (default no). Without a terminal nobody can
 * answer, so it fails with a hint naming `--no-prompt`.
 */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError(`${question.trim()} — no terminal to answer on`, {
      hint: 'run it in a terminal to be asked, or add --no-prompt to answer yes',
    });
  }
  process.stderr.write(`${question} [y/N] `);
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => rl.question('', resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
