import { readFile } from 'node:fs/promises';
import { WalletError } from '@pretrain/core';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { decryptKeyfileData } from './keyfile-crypto.js';
import {
  detectKeyfileFormat,
  KEYFILE_FORMAT_NAMES,
  pairFromKeyfile,
  parseKeyfileJson,
  type KeyfileJson,
} from './keyfile-format.js';

/** A password, or a function asked for it only when a keyfile turns out to be encrypted. */
export type PasswordSource = string | (() => Promise<string> | string);

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new WalletError(
      code === 'ENOENT'
        ? `${what} not found: ${path}`
        : `cannot read ${what} ${path} (${code ?? String(cause)})`,
      {
        cause,
        hint:
          code === 'ENOENT'
            ? 'check --wallet, --hotkey and --wallet-path, or create it with `pretrain wallet create`'
            : code === 'ENOTDIR' || code === 'EISDIR'
              ? '--wallet-path must name the wallets directory (default ~/.bittensor/wallets)'
              : code === 'EACCES' || code === 'EPERM'
                ? 'the keyfile is not readable by this user; check its owner and mode (0600)'
                : undefined,
      },
    );
  }
}

/**
 * Read a keyfile in any format btcli writes that can be opened here: unencrypted JSON or
 * `$NACL` (decrypted with `password`). Other formats fail with an error naming them.
 */
export async function readKeyfileJson(
  path: string,
  what: string,
  password?: PasswordSource,
): Promise<KeyfileJson> {
  const bytes = await readBytes(path, what);
  const format = detectKeyfileFormat(bytes);
  switch (format) {
    case 'json':
      return parseKeyfileJson(bytes, path);
    case 'nacl': {
      if (password === undefined) {
        throw new WalletError(`${what} ${path} is encrypted and no password was given`, {
          hint: 'enter the password at the prompt or supply it through the configured environment variable',
        });
      }
      const secret = typeof password === 'string' ? password : await password();
      if (secret === '') {
        // btcli never encrypts with an empty password, and argon2 refuses one.
        throw new WalletError(`${what} ${path} is encrypted and the password given is empty`, {
          hint: 'enter the password at the prompt or supply it through the configured environment variable',
        });
      }
      return parseKeyfileJson(await decryptKeyfileData(bytes, secret, path), path);
    }
    default:
      throw new WalletError(
        `${what} ${path} is in a format this tool cannot open: ${KEYFILE_FORMAT_NAMES[format]}`,
        {
          hint:
            format === 'unknown'
              ? 'expected btcli JSON or a $NACL-encrypted keyfile'
              : 'convert it with a current btcli (`btcli wallet update`) to the $NACL format',
        },
      );
  }
}

/** Read a keyfile and build its sr25519 pair. */
export async function readKeypair(
  path: string,
  what: string,
  password?: PasswordSource,
): Promise<KeyringPair> {
  await cryptoWaitReady();
  return pairFromKeyfile(await readKeyfileJson(path, what, password), path);
}
