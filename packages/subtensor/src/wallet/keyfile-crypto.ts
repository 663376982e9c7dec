import { WalletError } from '@pretrain/core';
import { argon2i } from 'hash-wasm';
import { naclDecrypt, naclEncrypt } from '@polkadot/util-crypto';

// XSalsa20-Poly1305 secretbox (NaCl, as PyNaCl's SecretBox): 32-byte key, 24-byte nonce,
// 16-byte Poly1305 tag in front of the ciphertext.
const SECRETBOX_KEY_BYTES = 32;
const SECRETBOX_NONCE_BYTES = 24;
const SECRETBOX_TAG_BYTES = 16;

/** Prefix btcli puts before NaCl-encrypted keyfiles. */
export const NACL_PREFIX = '$NACL';

/** The fixed argon2i salt every btcli NaCl keyfile is derived with. */
const BTCLI_NACL_SALT = Uint8Array.from([
  0x13, 0x71, 0x83, 0xdf, 0xf1, 0x5a, 0x09, 0xbc, 0x9c, 0x90, 0xb5, 0x51, 0x87, 0x39, 0xe9, 0xb1,
]);

/**
 * libsodium's argon2i "sensitive" limits, which btcli uses: 8 passes over 512 MiB, one
 * lane, argon2 version 0x13. Deriving takes seconds on purpose.
 */
const ARGON2I_SENSITIVE = { iterations: 8, memorySize: 512 * 1024, parallelism: 1 } as const;

// The last derived key, so that writing then reading a keyfile (or a retry after a
// failed transaction) in one process pays the multi-second derivation once.
let lastDerived: { password: string; key: Promise<Uint8Array> } | undefined;

async function deriveKey(password: string): Promise<Uint8Array> {
  if (lastDerived?.password !== password) lastDerived = { password, key: runArgon2i(password) };
  return lastDerived.key;
}

async function runArgon2i(password: string): Promise<Uint8Array> {
  return argon2i({
    password: Buffer.from(password, 'utf8'),
    salt: BTCLI_NACL_SALT,
    ...ARGON2I_SENSITIVE,
    hashLength: SECRETBOX_KEY_BYTES,
    outputType: 'binary',
  });
}

/** Encrypt keyfile bytes the way btcli does: `$NACL` ‖ nonce ‖ secretbox(data). */
export async function encryptKeyfileData(data: Uint8Array, password: string): Promise<Uint8Array> {
  const key = await deriveKey(password);
  const { encrypted, nonce } = naclEncrypt(data, key);
  return Buffer.concat([Buffer.from(NACL_PREFIX, 'latin1'), nonce, encrypted]);
}

/**
 * Decrypt a btcli `$NACL` keyfile.
 *
 * @throws WalletError when the password is wrong or the file is truncated.
 */
export async function decryptKeyfileData(
  data: Uint8Array,
  password: string,
  where: string,
): Promise<Uint8Array> {
  const prefixLength = NACL_PREFIX.length;
  const body = data.subarray(prefixLength);
  if (body.length < SECRETBOX_NONCE_BYTES + SECRETBOX_TAG_BYTES) {
    throw new WalletError(`keyfile ${where} is NaCl-encrypted but truncated (${data.length} bytes)`, {
      hint: 'restore it from a backup',
    });
  }
  const nonce = body.subarray(0, SECRETBOX_NONCE_BYTES);
  const box = body.subarray(SECRETBOX_NONCE_BYTES);
  const opened = naclDecrypt(box, nonce, await deriveKey(password));
  if (opened === null) {
    throw new WalletError(`wrong password for the encrypted keyfile ${where}`, {
      hint: 'check the password (or the environment variable that supplies it) and try again',
    });
  }
  return opened;
}
